import type { Labels } from './lang.ts';

// The region indicators the map colours regions by: one registry read by the client (URL state,
// indicator select, legend, region table, automatic choice) and the server (region exports).
// Adding an indicator = an entry here, its value in the client's indicatorValue
// (client/src/lib/map/indicators.ts; a type error names the missing case) and, if it is a new
// region property, the region layer query (server/src/repositories/region-layer.repository.ts).

export const INDICATOR_KEYS = ['population', 'population_density', 'refugees_per_1000', 'housing_free_per_1000', 'offers_per_10k', 'open_needs'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** Region levels of the map (Amt/Verbandsgemeinde level and Gemeinde level). */
export type RegionLevel = 'verband' | 'gemeinde';

export interface IndicatorSpec {
  labels: Labels;
  /** Unit of the value, for legends and column heads; empty for plain counts. */
  unit: Labels;
  /** Decimal places shown. */
  digits: number;
  /**
   * Where the value comes from: `property` = the region property of that name (GeoJSON layer and
   * exports); `computed` = derived in the client from other properties (see `computedFrom`).
   */
  source: { property: string } | { computedFrom: readonly string[] };
  /**
   * Levels at which the indicator exists. Capacities are reported per allocation unit (Amt /
   * amtsfreie Gemeinde) and not split onto its Gemeinden, so the capacity rates exist at Verband
   * level only; elsewhere the legend and the region table say so instead of "keine Angabe".
   */
  levels: readonly RegionLevel[];
  /**
   * Position in the automatic choice of a map without a chosen indicator (lower first); null =
   * never chosen for the user (a few open needs would colour the map by one or two regions).
   */
  autoOrder: number | null;
}

const ALL_LEVELS = ['verband', 'gemeinde'] as const;
const VERBAND_ONLY = ['verband'] as const;

export const INDICATORS: Readonly<Record<IndicatorKey, IndicatorSpec>> = {
  population: {
    labels: { de: 'Einwohnerinnen und Einwohner', en: 'Inhabitants' },
    unit: { de: '', en: '' }, digits: 0, source: { property: 'population' }, levels: ALL_LEVELS, autoOrder: 5,
  },
  population_density: {
    labels: { de: 'Einwohner je km²', en: 'Inhabitants per km²' },
    unit: { de: 'je km²', en: 'per km²' }, digits: 0, source: { computedFrom: ['population', 'area_km2'] }, levels: ALL_LEVELS, autoOrder: 4,
  },
  refugees_per_1000: {
    labels: { de: 'Geflüchtete je 1.000 Einw.', en: 'Refugees per 1,000 inhabitants' },
    unit: { de: 'je 1.000 Einw.', en: 'per 1,000 inhabitants' }, digits: 1, source: { property: 'refugees_per_1000' }, levels: VERBAND_ONLY, autoOrder: 1,
  },
  housing_free_per_1000: {
    labels: { de: 'Freie Wohnplätze je 1.000 Einw.', en: 'Free housing places per 1,000 inh.' },
    unit: { de: 'je 1.000 Einw.', en: 'per 1,000 inhabitants' }, digits: 2, source: { property: 'housing_free_per_1000' }, levels: VERBAND_ONLY, autoOrder: 2,
  },
  offers_per_10k: {
    labels: { de: 'Angebote je 10.000 Einw.', en: 'Offers per 10,000 inhabitants' },
    unit: { de: 'je 10.000 Einw.', en: 'per 10,000 inhabitants' }, digits: 1, source: { computedFrom: ['offers_total', 'offers_by_category', 'population'] }, levels: ALL_LEVELS, autoOrder: 3,
  },
  open_needs: {
    labels: { de: 'Offene Bedarfe', en: 'Open needs' },
    unit: { de: '', en: '' }, digits: 0, source: { property: 'open_needs' }, levels: ALL_LEVELS, autoOrder: null,
  },
};

/** Whether the indicator exists at a region level (a Kreis or the Land sums its Verbände, so has every one). */
export function indicatorAt(key: IndicatorKey, level: string): boolean {
  return level === 'kreis' || level === 'land' || (INDICATORS[key].levels as readonly string[]).includes(level);
}

/** The indicators the automatic choice tries, in its order. */
export const AUTO_INDICATOR_KEYS: readonly IndicatorKey[] = INDICATOR_KEYS
  .filter((k) => INDICATORS[k].autoOrder !== null)
  .sort((a, b) => INDICATORS[a].autoOrder! - INDICATORS[b].autoOrder!);

/** Region properties that carry an indicator as is (the region exports' indicator columns). */
export const INDICATOR_PROPERTIES: readonly string[] = INDICATOR_KEYS.flatMap((k) => {
  const s = INDICATORS[k].source;
  return 'property' in s ? [s.property] : [];
});
