import { isAbort } from '../api/client.ts';
import { getDashboard, type DashboardRow } from '../api/dashboard.ts';
import { getOfferCounts, getOffers, type OfferFeature } from '../api/offers.ts';
import { getRegions, type RegionFeature } from '../api/regions.ts';
import { getReportChanges, getScopedWhiteSpots, type ReportChanges } from '../api/report.ts';
import type { WhiteSpotFeature } from '../api/coverage.ts';
import { OFFER_TILE_THRESHOLD } from './data.svelte.ts';
import { kreisOf, levelBelow } from './dashboard.svelte.ts';
import { levelOfArs } from './view-url.ts';

/** One map of the report: a region (null: all Kreise) and the regions one level below it. */
export interface ReportMapSpec {
  key: string | null;
  name: string;
  level: 'kreis' | 'verband' | 'gemeinde';
  features: RegionFeature[];
}

export interface ReportScope {
  /** The region the report is about: the drill-down point, else a lone Kreis; null for several Kreise. */
  key: string | null;
  /** The rows whose sum the key figures are (the scope's own row, the Land's, or the Kreise). */
  rows: DashboardRow[];
}

/** Per category: the inhabited Gemeinden of the scope without an offer within the distance. */
export type WhiteSpotsByCategory = Map<string, WhiteSpotFeature[]>;

/**
 * What the printed report adds to the dashboard's tables: the scope's own row, the capacity
 * changes, the white spots of every category, the maps' regions and the offers drawn on them.
 */
export class ReportData {
  changes = $state.raw<ReportChanges | null>(null);
  scopeRows = $state.raw<DashboardRow[] | null>(null);
  whiteSpots = $state.raw<WhiteSpotsByCategory | null>(null);
  maps = $state.raw<ReportMapSpec[]>([]);
  offers = $state.raw<OfferFeature[]>([]);
  /** Offers in the scope when there are too many to download and draw as dots. */
  offersTooMany = $state<number | null>(null);
  error = $state<string | null>(null);
  #ctrl: AbortController | null = null;

  /**
   * `parent`: the drill-down point; `kreise`: the Kreise at the top (when there is no parent);
   * `land`: the Land's row above several Kreise, if the user sees it.
   */
  async load(parent: string | null, kreise: DashboardRow[], land: DashboardRow | null, categories: readonly string[], km: number): Promise<void> {
    this.#ctrl?.abort();
    const ctrl = (this.#ctrl = new AbortController());
    const signal = ctrl.signal;
    this.error = null;
    try {
      const lone = !parent && kreise.length === 1 ? kreise[0]!.key : null;
      const scope = parent ?? lone;
      const [changes, rows, spots, maps, offers] = await Promise.all([
        getReportChanges(parent, signal),
        scope ? getDashboard(levelOfArs(scope), scope, signal).then((d) => d.rows) : Promise.resolve(land ? [land] : kreise),
        Promise.all(categories.map((c) => getScopedWhiteSpots(c, km, parent, signal).then((fc) => [c, fc.features] as const))),
        this.#maps(scope, kreise, signal),
        this.#offers(scope, signal),
      ]);
      if (signal.aborted) return;
      this.changes = changes;
      this.scopeRows = rows;
      this.whiteSpots = new Map(spots);
      // The scope's own name comes with its row (a Verband is not among the Kreise).
      this.maps = maps.map((m) => (m.key && m.key === scope ? { ...m, name: rows[0]?.name ?? m.name } : m));
      this.offers = offers.features;
      this.offersTooMany = offers.tooMany;
    } catch (e) {
      if (!isAbort(e)) this.error = (e as Error).message;
    }
  }

  /** One map of the scope by the regions below it; above several Kreise also one per Kreis by its Verbände. */
  async #maps(scope: string | null, kreise: DashboardRow[], signal: AbortSignal): Promise<ReportMapSpec[]> {
    if (scope) {
      const level = levelBelow(scope) === 'gemeinde' ? 'gemeinde' : 'verband';
      const below = await getRegions(level, signal, scope);
      return [{ key: scope, name: kreise.find((k) => k.key === scope)?.name ?? scope, level, features: below.features }];
    }
    const [k, v] = await Promise.all([getRegions('kreis', signal), getRegions('verband', signal)]);
    return [
      { key: null, name: '', level: 'kreis', features: k.features },
      ...k.features.map((f) => ({
        key: f.properties.key, name: f.properties.name, level: 'verband' as const,
        features: v.features.filter((u) => kreisOf(u.properties.key) === f.properties.key),
      })),
    ];
  }

  async #offers(scope: string | null, signal: AbortSignal): Promise<{ features: OfferFeature[]; tooMany: number | null }> {
    const filter = { region: scope ?? undefined };
    const counts = await getOfferCounts(filter, signal);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > OFFER_TILE_THRESHOLD) return { features: [], tooMany: total };
    return { features: (await getOffers(filter, signal)).features, tooMany: null };
  }
}
