// The Ministry dashboard's part of the URL hash (dtab, dparent, dcat, km): which table is open,
// where the drill-down stands, and the category and distance of coverage and white spots.
// Pure functions, unit-testable like view-url.ts.

export const DASH_TABS = ['regions', 'whitespots', 'providers', 'report'] as const;
export type DashTab = (typeof DASH_TABS)[number];
export const THRESHOLDS_KM = [5, 10, 20] as const;
export type ThresholdKm = (typeof THRESHOLDS_KM)[number];

export interface DashView {
  tab: DashTab;
  /** ARS of the Kreis or Verband drilled into; null shows the Kreise. */
  parent: string | null;
  /** Category of coverage and white spots; null until meta names the first one. */
  category: string | null;
  km: ThresholdKm;
}

export const DEFAULT_DASH: DashView = { tab: 'regions', parent: null, category: null, km: 10 };

const ARS = /^[0-9]{12}$/;
const KEY = /^[a-z_]{2,40}$/;

export function parseDashView(p: URLSearchParams): DashView {
  const tab = p.get('dtab');
  const parent = p.get('dparent');
  const cat = p.get('dcat');
  const km = Number(p.get('km'));
  return {
    tab: (DASH_TABS as readonly string[]).includes(tab ?? '') ? (tab as DashTab) : DEFAULT_DASH.tab,
    parent: parent && ARS.test(parent) ? parent : null,
    category: cat && KEY.test(cat) ? cat : null,
    km: (THRESHOLDS_KM as readonly number[]).includes(km) ? (km as ThresholdKm) : DEFAULT_DASH.km,
  };
}

export function writeDashView(p: URLSearchParams, v: DashView): void {
  if (v.tab !== DEFAULT_DASH.tab) p.set('dtab', v.tab);
  if (v.parent) p.set('dparent', v.parent);
  if (v.category) p.set('dcat', v.category);
  if (v.km !== DEFAULT_DASH.km) p.set('km', String(v.km));
}
