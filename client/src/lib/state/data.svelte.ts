import { getMeta, type Category, type Meta } from '../api/meta.ts';
import { getRegions, type RegionCollection, type RegionFeature, type RegionLevel } from '../api/regions.ts';
import { getOfferCounts, getOffers, type OfferCollection, type OfferFeature, type OfferFilter } from '../api/offers.ts';
import { getNeeds, type NeedCollection, type NeedFeature } from '../api/needs.ts';
import { isAbort } from '../api/client.ts';
import { DEFAULT_OFFER_FILTERS, anyOfferFilter } from './offer-filter-url.ts';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };
/** Above this many offers the map uses the server's vector tiles instead of one GeoJSON download. */
export const OFFER_TILE_THRESHOLD = 20_000;

/** One request per resource at a time: a newer filter aborts the older request. */
class Latest {
  #ctrl: AbortController | null = null;
  next(): AbortSignal {
    this.#ctrl?.abort();
    this.#ctrl = new AbortController();
    return this.#ctrl.signal;
  }
}

/**
 * The layers' data as loaded from the API. Filters are applied by the server (one definition
 * of search and category filtering); the map and the tables read the same collections.
 */
export class DataStore {
  meta = $state.raw<Meta | null>(null);
  regions = $state.raw<RegionCollection>(EMPTY);
  regionsLevel = $state<RegionLevel | null>(null);
  district = $state.raw<RegionCollection>(EMPTY);
  /** The allocation units (Ämter and amtsfreie Gemeinden) for planning, whatever level the map shows. */
  units = $state.raw<RegionCollection>(EMPTY);
  offers = $state.raw<OfferCollection>(EMPTY);
  offerCounts = $state.raw<Record<string, number>>({});
  /** More offers under the filters than OFFER_TILE_THRESHOLD: not downloaded, the map draws them from vector tiles. */
  offersTiled = $state(false);
  readonly tileThreshold = OFFER_TILE_THRESHOLD;
  /** The filter the offers (and the counts) were last loaded with; tiles are asked with the same. */
  offerFilter = $state.raw<OfferFilter>({});
  needs = $state.raw<NeedCollection>(EMPTY);
  /** Every need, done ones included (the inbox); null until loaded. */
  needsAll = $state.raw<NeedCollection | null>(null);
  loading = $state({ regions: false, offers: false, needs: false });
  error = $state<string | null>(null);
  /** Bumped after every successful write, so open detail views reload. */
  revision = $state(0);

  /** Offers the map shows: the loaded features, or in tile mode what the counts say of the chosen categories. */
  readonly offersShown = $derived(
    this.offersTiled
      ? Object.entries(this.offerCounts).reduce((sum, [k, n]) => sum + (!this.offerFilter.categories || this.offerFilter.categories.includes(k) ? n : 0), 0)
      : this.offers.features.length,
  );
  readonly categories = $derived<Category[]>(this.meta?.categories ?? []);
  readonly categoryByKey = $derived(new Map(this.categories.map((c) => [c.key, c])));
  readonly regionByKey = $derived(new Map(this.regions.features.map((f) => [f.properties.key, f])));
  readonly offerById = $derived(new Map(this.offers.features.map((f) => [f.properties.id, f])));
  readonly needById = $derived(new Map(this.needs.features.map((f) => [f.properties.id, f])));

  #regions = new Latest();
  #offers = new Latest();
  #needs = new Latest();
  #regionCache = new Map<RegionLevel, RegionCollection>();

  async loadMeta(): Promise<void> {
    // Both before the map is drawn: it opens on the district's bounds.
    const [meta, district] = await Promise.all([getMeta(), getRegions('kreis')]);
    this.district = district;
    this.meta = meta;
  }

  async loadRegions(level: RegionLevel, force = false): Promise<void> {
    const cached = this.#regionCache.get(level);
    if (cached && !force) {
      this.regions = cached;
      this.regionsLevel = level;
      return;
    }
    await this.#run('regions', this.#regions, async (signal) => {
      const data = await getRegions(level, signal);
      this.#regionCache.set(level, data);
      this.regions = data;
      this.regionsLevel = level;
    });
  }

  async loadUnits(): Promise<void> {
    if (this.units.features.length) return;
    const cached = this.#regionCache.get('verband');
    if (cached) {
      this.units = cached;
      return;
    }
    try {
      this.units = await getRegions('verband');
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Offers in the visible districts without any filter (the Kreise carry their count; null before meta). */
  readonly offersInDistricts = $derived(this.district.features.length ? this.district.features.reduce((n, f) => n + (f.properties.offers_total ?? 0), 0) : null);

  async loadOffers(filter: OfferFilter): Promise<void> {
    await this.#run('offers', this.#offers, async (signal) => {
      const countsFor = () => getOfferCounts({ ...filter, categories: undefined }, signal);
      if (filter.categories && filter.categories.length === 0) {
        // No category chosen: nothing to show, but the counts still tell what a choice would give.
        const counts = await countsFor();
        this.offers = EMPTY;
        this.offerCounts = counts;
        this.offerFilter = filter;
        return;
      }
      const totalOf = (counts: Record<string, number>) =>
        Object.entries(counts).reduce((sum, [k, n]) => sum + (!filter.categories || filter.categories.includes(k) ? n : 0), 0);
      // One round trip, not two, where the district's own count decides the mode in advance:
      // few offers in all means GeoJSON whatever the filter (counts and offers asked together);
      // many offers and no filter means tiles (drawn while the counts are on their way).
      const all = this.offersInDistricts;
      const unfiltered = !filter.categories && !filter.q?.trim() && !anyOfferFilter({ ...DEFAULT_OFFER_FILTERS, ...filter });
      if (all !== null && all <= OFFER_TILE_THRESHOLD) {
        const [counts, offers] = await Promise.all([countsFor(), getOffers(filter, signal)]);
        const tiled = totalOf(counts) > OFFER_TILE_THRESHOLD;
        this.offers = tiled ? EMPTY : offers;
        this.offerCounts = counts;
        this.offerFilter = filter;
        this.offersTiled = tiled;
        return;
      }
      if (all !== null && unfiltered) {
        this.offers = EMPTY;
        this.offerFilter = filter;
        this.offersTiled = true;
      }
      const counts = await countsFor();
      const tiled = totalOf(counts) > OFFER_TILE_THRESHOLD;
      this.offers = tiled ? EMPTY : await getOffers(filter, signal);
      this.offerCounts = counts;
      this.offerFilter = filter;
      this.offersTiled = tiled;
    });
  }

  async loadNeeds(includeDone: boolean): Promise<void> {
    await this.#run('needs', this.#needs, async (signal) => {
      const all = await getNeeds({}, signal);
      this.needsAll = all;
      this.needs = includeDone ? all : { ...all, features: all.features.filter((f) => f.properties.status !== 'erledigt') };
    });
  }

  /** After a write: regions carry offer counts and capacities, so all cached levels are stale. */
  invalidate(): void {
    this.#regionCache.clear();
    this.revision++;
  }

  region(key: string): RegionFeature | undefined {
    return this.regionByKey.get(key);
  }

  offer(id: number): OfferFeature | undefined {
    return this.offerById.get(id);
  }

  need(id: number): NeedFeature | undefined {
    return this.needById.get(id);
  }

  async #run(kind: keyof DataStore['loading'], latest: Latest, job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const signal = latest.next();
    this.loading[kind] = true;
    try {
      await job(signal);
      this.error = null;
    } catch (e) {
      if (isAbort(e)) return;
      this.error = (e as Error).message;
    } finally {
      if (!signal.aborted) this.loading[kind] = false;
    }
  }
}
