// The view as a URL hash, so a link restores what its sender saw. Pure functions (no runes, no
// DOM) so they are unit-tested; view.svelte.ts holds the reactive copy.
import { DEFAULT_PLAN, parsePlanView, writePlanView, type PlanView } from './plan-url.ts';
import { INDICATOR_KEYS, type IndicatorKey } from '@ilk/core';
import { DEFAULT_DASH, parseDashView, writeDashView, type DashView } from './dashboard-url.ts';
import { DEFAULT_OFFER_FILTERS, parseOfferFilters, writeOfferFilters, type OfferFilters } from './offer-filter-url.ts';

export type { PlanView, DashView, OfferFilters };

export const LEVELS = ['verband', 'gemeinde'] as const;
export type Level = (typeof LEVELS)[number];
/** The region indicators, from their registry in core (labels, digits, automatic order). */
export const INDICATORS = INDICATOR_KEYS;
export type Indicator = IndicatorKey;
export const METHODS = ['quantile', 'jenks'] as const;
export type ClassMethod = (typeof METHODS)[number];
export const LAYERS = ['regions', 'offers', 'needs'] as const;
export type LayerKey = (typeof LAYERS)[number];
export const TABS = ['regions', 'offers', 'needs', 'overview', 'inbox'] as const;
export type DrawerTab = (typeof TABS)[number];
export type SelectionKind = 'region' | 'offer' | 'need';
/**
 * The app's views: the map with its tables, allocation planning beside the map, the Ministry
 * dashboard, and the pages without a map (capacity reports of all units, accounts, API tokens).
 */
export const MODES = ['map', 'plan', 'dashboard', 'capacities', 'accounts', 'tokens', 'audit'] as const;
/** Modes shown as a page of their own instead of the map layout. */
export const PAGE_MODES = ['capacities', 'accounts', 'tokens', 'audit'] as const satisfies readonly AppMode[];
export type AppMode = (typeof MODES)[number];

export interface Selection {
  kind: SelectionKind;
  id: string;
}

export interface ViewSnapshot {
  mode: AppMode;
  /** [lon, lat]; null until the map or the URL sets it (then the map fits the district). */
  center: [number, number] | null;
  zoom: number | null;
  level: Level;
  indicator: Indicator;
  /**
   * Whether the indicator was chosen (by the user, or named in the link). When not, the map shows
   * the first indicator that has values (indicators.ts defaultIndicator) and the URL names none.
   */
  indicatorChosen: boolean;
  /** For offers_per_10k: a category key, or 'all'. */
  indicatorCategory: string;
  method: ClassMethod;
  layers: LayerKey[];
  /** Needs layer: also show needs marked done. */
  needsDone: boolean;
  /** Selected offer categories; null means all. */
  categories: string[] | null;
  q: string;
  /** Free places, languages, subcategory, target groups, barrier-free access (offer-filter-url.ts). */
  offerFilters: OfferFilters;
  selection: Selection | null;
  /** The open table or overview below the map; null when closed. */
  tab: DrawerTab | null;
  /** The planning scenario and what the planning view shows. */
  plan: PlanView;
  /** The Ministry dashboard: table, drill-down, coverage category and distance. */
  dash: DashView;
}

export const DEFAULT_VIEW: ViewSnapshot = {
  mode: 'map',
  center: null,
  zoom: null,
  level: 'verband',
  indicator: 'refugees_per_1000',
  indicatorChosen: false,
  indicatorCategory: 'all',
  method: 'quantile',
  layers: ['regions', 'offers', 'needs'],
  needsDone: false,
  categories: null,
  q: '',
  offerFilters: DEFAULT_OFFER_FILTERS,
  selection: null,
  tab: 'regions',
  plan: DEFAULT_PLAN,
  dash: DEFAULT_DASH,
};

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;

const KEY = /^[a-z_]{2,40}$/;

function parseSelection(v: string | null): Selection | null {
  const m = v ? /^(region|offer|need):([0-9]{1,12})$/.exec(v) : null;
  return m ? { kind: m[1] as SelectionKind, id: m[2]! } : null;
}

/** map=zoom/lat/lon, as OpenStreetMap writes it. */
function parseCamera(v: string | null): Pick<ViewSnapshot, 'center' | 'zoom'> {
  const parts = (v ?? '').split('/').map(Number);
  const [z, lat, lon] = parts;
  if (parts.length !== 3 || !Number.isFinite(z) || !Number.isFinite(lat) || !Number.isFinite(lon)) return { center: null, zoom: null };
  if (z! < 0 || z! > 22 || Math.abs(lat!) > 85 || Math.abs(lon!) > 180) return { center: null, zoom: null };
  return { center: [lon!, lat!], zoom: z! };
}

export function parseView(hash: string): ViewSnapshot {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const d = DEFAULT_VIEW;
  const cats = p.get('cat');
  const tab = p.get('tab');
  return {
    mode: oneOf(MODES, p.get('mode'), d.mode),
    ...parseCamera(p.get('map')),
    level: oneOf(LEVELS, p.get('level'), d.level),
    indicator: oneOf(INDICATORS, p.get('ind'), d.indicator),
    indicatorChosen: (INDICATORS as readonly string[]).includes(p.get('ind') ?? ''),
    indicatorCategory: KEY.test(p.get('icat') ?? '') ? p.get('icat')! : 'all',
    method: oneOf(METHODS, p.get('cls'), d.method),
    layers: p.has('layers') ? LAYERS.filter((l) => p.get('layers')!.split(',').includes(l)) : [...d.layers],
    needsDone: p.get('done') === '1',
    categories: cats === null ? null : cats === '-' ? [] : cats.split(',').filter((c) => KEY.test(c)),
    q: (p.get('q') ?? '').slice(0, 100),
    offerFilters: parseOfferFilters(p),
    selection: parseSelection(p.get('sel')),
    tab: tab === '-' ? null : oneOf(TABS, tab, d.tab ?? 'regions'),
    plan: parsePlanView(p),
    dash: parseDashView(p),
  };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** Only what differs from the default is written, so shared links stay short. */
export function serializeView(v: ViewSnapshot): string {
  const p = new URLSearchParams();
  const d = DEFAULT_VIEW;
  if (v.mode !== d.mode) p.set('mode', v.mode);
  if (v.center && v.zoom !== null) p.set('map', `${round(v.zoom, 2)}/${round(v.center[1], 5)}/${round(v.center[0], 5)}`);
  if (v.level !== d.level) p.set('level', v.level);
  if (v.indicatorChosen) p.set('ind', v.indicator);
  if (v.indicator === 'offers_per_10k' && v.indicatorCategory !== 'all') p.set('icat', v.indicatorCategory);
  if (v.method !== d.method) p.set('cls', v.method);
  if (v.layers.join(',') !== d.layers.join(',')) p.set('layers', v.layers.join(','));
  if (v.needsDone) p.set('done', '1');
  if (v.categories !== null) p.set('cat', v.categories.length ? v.categories.join(',') : '-');
  if (v.q.trim()) p.set('q', v.q.trim());
  writeOfferFilters(p, v.offerFilters);
  if (v.selection) p.set('sel', `${v.selection.kind}:${v.selection.id}`);
  if (v.tab !== d.tab) p.set('tab', v.tab ?? '-');
  writePlanView(p, v.plan);
  writeDashView(p, v.dash);
  // URLSearchParams encodes '/' and ',' which are safe in a fragment; keep the link readable.
  return p.toString().replace(/%2F/g, '/').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/**
 * The level of a region from its ARS (12 digits: Land 2, Regierungsbezirk 1, Kreis 2,
 * Gemeindeverband 4, Gemeinde 3): a Verband's ARS ends in 000, a Kreis's in 0000000.
 */
export function levelOfArs(ars: string): 'kreis' | Level {
  if (ars.endsWith('0000000')) return 'kreis';
  return ars.endsWith('000') ? 'verband' : 'gemeinde';
}
