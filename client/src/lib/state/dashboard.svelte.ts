import { getContext, setContext } from 'svelte';
import { isAbort } from '../api/client.ts';
import { getDashboard, type DashboardLevel, type DashboardRow } from '../api/dashboard.ts';
import { coverageShares, getWhiteSpots, type WhiteSpotCollection } from '../api/coverage.ts';
import type { DataStore } from './data.svelte.ts';
import type { ViewState } from './view.svelte.ts';
import { levelOfArs } from './view-url.ts';

/** Per category, per region key: the population share within the threshold (0..1, null: none). */
export type CoverageByCategory = Map<string, Map<string, number | null>>;

export interface DashTable {
  level: DashboardLevel;
  parent: string | null;
  rows: DashboardRow[];
  coverage: CoverageByCategory;
  /** Per category, the share over all rows together (Kreise and Land tables only). */
  totals: Map<string, number | null>;
}

export const kreisOf = (ars: string) => `${ars.slice(0, 5)}0000000`;

/** The rows one level below a drill-down point: Kreise at the top, then Verbände, then Gemeinden. */
export function levelBelow(parent: string | null): DashboardLevel {
  if (!parent) return 'kreis';
  return levelOfArs(parent) === 'kreis' ? 'verband' : 'gemeinde';
}

/**
 * The Ministry dashboard's data for the drill-down point in the URL: the table of its regions
 * with coverage for every category (the printed report needs all of them), the Verbände below
 * a lone Kreis, and the white spots of the chosen category and distance.
 */
export class Dashboard {
  main = $state.raw<DashTable | null>(null);
  /** Above several Kreise, the Land as a whole (for those who see every district). */
  total = $state.raw<DashTable | null>(null);
  /** With a single Kreis at the top, its Verbände are shown right away. */
  sub = $state.raw<DashTable | null>(null);
  whiteSpots = $state.raw<WhiteSpotCollection | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Region names seen in any table, for the breadcrumb. */
  names = $state.raw(new Map<string, string>());
  #ctrl: AbortController | null = null;
  #spots: AbortController | null = null;

  readonly category: string | null;
  /** Top → drill-down point: the Kreis, then the Verband. */
  readonly trail: { key: string; name: string }[];
  private data: DataStore;
  private view: ViewState;
  private seesAllDistricts: () => boolean;

  /** `seesAllDistricts`: the user reads every Kreis (not a coordinator), so a Land total is theirs to see. */
  constructor(data: DataStore, view: ViewState, seesAllDistricts: () => boolean = () => false) {
    this.data = data;
    this.view = view;
    this.seesAllDistricts = seesAllDistricts;
    this.category = $derived(view.dash.category ?? data.categories[0]?.key ?? null);
    this.trail = $derived.by(() => {
      const p = view.dash.parent;
      if (!p) return [];
      const keys = levelOfArs(p) === 'kreis' ? [p] : [kreisOf(p), p];
      return keys.map((key) => ({ key, name: this.names.get(key) ?? key }));
    });
  }

  drill(key: string | null): void {
    this.view.dash = { ...this.view.dash, parent: key, tab: this.view.dash.tab === 'whitespots' || this.view.dash.tab === 'providers' ? 'regions' : this.view.dash.tab };
  }

  async #table(level: DashboardLevel, parent: string | null, km: number, signal: AbortSignal): Promise<DashTable> {
    const [dash, ...shares] = await Promise.all([
      getDashboard(level, parent, signal),
      ...this.data.categories.map((c) => coverageShares(level, parent, c.key, km, signal)),
    ]);
    const coverage: CoverageByCategory = new Map(this.data.categories.map((c, i) => [c.key, shares[i]!.shares]));
    const totals = new Map(this.data.categories.map((c, i) => [c.key, shares[i]!.total]));
    return { level, parent, rows: dash.rows, coverage, totals };
  }

  /** The Land's row above its Kreise; its coverage is the Kreise table's total (no second KNN pass). */
  async #landTotal(kreise: DashTable, signal: AbortSignal): Promise<DashTable | null> {
    const land = (await getDashboard('land', null, signal)).rows;
    if (land.length !== 1) return null;
    const key = land[0]!.key;
    const coverage: CoverageByCategory = new Map([...kreise.totals].map(([c, share]) => [c, new Map([[key, share]])]));
    return { level: 'land', parent: null, rows: land, coverage, totals: kreise.totals };
  }

  async load(parent: string | null): Promise<void> {
    this.#ctrl?.abort();
    const ctrl = (this.#ctrl = new AbortController());
    this.loading = true;
    this.error = null;
    try {
      const level = levelBelow(parent);
      // Coverage in the tables is always "within 10 km", as the Ministry's indicator defines it.
      const main = await this.#table(level, parent, 10, ctrl.signal);
      const lone = !parent && main.rows.length === 1 ? main.rows[0]!.key : null;
      const total = !parent && main.rows.length > 1 && this.seesAllDistricts() ? await this.#landTotal(main, ctrl.signal) : null;
      // A Verband's name comes from the table of its Kreis, needed anyway when the URL starts there.
      const subParent = lone ?? (parent && level === 'gemeinde' ? kreisOf(parent) : null);
      const sub = subParent ? await this.#table('verband', subParent, 10, ctrl.signal) : null;
      const kreise = parent && !this.names.has(kreisOf(parent)) ? await getDashboard('kreis', null, ctrl.signal) : null;
      const names = new Map(this.names);
      for (const r of [...main.rows, ...(sub?.rows ?? []), ...(kreise?.rows ?? [])]) names.set(r.key, r.name);
      this.names = names;
      this.main = main;
      this.total = total;
      this.sub = lone ? sub : null;
    } catch (e) {
      if (!isAbort(e)) this.error = (e as Error).message;
    } finally {
      if (this.#ctrl === ctrl) this.loading = false;
    }
  }

  async loadWhiteSpots(category: string, km: number): Promise<void> {
    this.#spots?.abort();
    const ctrl = (this.#spots = new AbortController());
    try {
      this.whiteSpots = await getWhiteSpots(category, km, ctrl.signal);
    } catch (e) {
      if (!isAbort(e)) this.error = (e as Error).message;
    }
  }
}

const KEY = Symbol('dashboard');
export const setDashboard = (d: Dashboard): Dashboard => setContext(KEY, d);
export const dashboard = (): Dashboard => getContext<Dashboard>(KEY);
