import type { RegionProperties } from '../api/regions.ts';
import type { Indicator } from '../state/view-url.ts';

/** Decimal places used when an indicator's value is shown. */
export const INDICATOR_DIGITS: Record<Indicator, number> = {
  population: 0,
  refugees_per_1000: 1,
  housing_free_per_1000: 2,
  offers_per_10k: 1,
  open_needs: 0,
};

/**
 * The value the choropleth shows for one region. Rates per inhabitant are only defined with a
 * known, positive population; a missing capacity report stays missing (not zero).
 */
export function indicatorValue(p: RegionProperties, indicator: Indicator, category: string): number | null {
  switch (indicator) {
    case 'population':
      return p.population;
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
