import type { RegionProperties } from '../api/regions.ts';
import type { Indicator } from '../state/view-url.ts';
import { AUTO_INDICATOR_KEYS, INDICATOR_KEYS, INDICATORS as INDICATOR_REGISTRY, type Lang } from '@ilk/core';

/** Decimal places used when an indicator's value is shown (from the indicator registry). */
export const INDICATOR_DIGITS: Readonly<Record<Indicator, number>> = Object.fromEntries(
  INDICATOR_KEYS.map((k) => [k, INDICATOR_REGISTRY[k].digits]),
) as Record<Indicator, number>;

/** An indicator's name in the interface language. */
export const indicatorLabel = (indicator: Indicator, lang: Lang): string => INDICATOR_REGISTRY[indicator].labels[lang];

/**
 * The value the choropleth shows for one region. Rates per inhabitant are only defined with a
 * known, positive population; a missing capacity report stays missing (not zero).
 */
export function indicatorValue(p: RegionProperties, indicator: Indicator, category: string): number | null {
  switch (indicator) {
    case 'population':
      return p.population;
    case 'population_density':
      return p.population !== null && p.area_km2 ? p.population / p.area_km2 : null;
    case 'refugees_per_1000':
      return p.refugees_per_1000;
    case 'housing_free_per_1000':
      return p.housing_free_per_1000;
    case 'open_needs':
      return p.open_needs;
    case 'offers_per_10k': {
      if (!p.population || p.population <= 0) return null;
      const count = category === 'all' ? p.offers_total : (p.offers_by_category[category] ?? 0);
      return (count / p.population) * 10_000;
    }
  }
}

/**
 * The indicators a map without a chosen one tries, in the registry's autoOrder: the capacity
 * rates first (the office's daily question), then offers, then what the official data always
 * give. Open needs are never chosen for the user: a few needs would colour the map by one or two
 * regions.
 */
export const AUTO_INDICATORS: readonly Indicator[] = AUTO_INDICATOR_KEYS;

/**
 * A choropleth says something when at least half the regions have a value (a map of one coloured
 * unit among fourteen hatched ones says little) and not every value is zero (one colour).
 */
export function saysSomething(values: readonly (number | null)[]): boolean {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length * 2 >= values.length && known.some((v) => v !== 0);
}

/**
 * The indicator shown when neither the user nor the link chose one: the first of AUTO_INDICATORS
 * that says something for these regions; null while no region is loaded (keep the current one).
 */
export function defaultIndicator(regions: readonly RegionProperties[], category = 'all'): Indicator | null {
  if (regions.length === 0) return null;
  return AUTO_INDICATORS.find((ind) => saysSomething(regions.map((p) => indicatorValue(p, ind, category)))) ?? 'population';
}
