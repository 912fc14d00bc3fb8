import { describe, expect, it } from 'vitest';
import { AUTO_INDICATORS, defaultIndicator, indicatorValue } from '../../client/src/lib/map/indicators.ts';
import { DEFAULT_VIEW, parseView, serializeView } from '../../client/src/lib/state/view-url.ts';
import type { RegionProperties } from '../../client/src/lib/api/regions.ts';

// The first screen of a Kreis: without a chosen indicator the map shows the first one that
// has values for the loaded regions, and the URL still names none.

let seq = 0;
function region(p: Partial<RegionProperties> = {}): RegionProperties {
  seq++;
  return {
    key: `01053${String(seq).padStart(7, '0')}`, level: 'verband', ags: null, name: `Amt ${seq}`, kind: 'Amt', parent_key: '010530000000',
    population: 10_000 + seq, population_date: '2019-12-31', area_km2: 100, label_point: [10.5, 53.6], capacity: null,
    refugees_per_1000: null, housing_free_per_1000: null, offers_total: 0, offers_by_category: {}, open_needs: 0, ...p,
  };
}

describe('the indicator a map shows when none is chosen', () => {
  it('is the population density on a fresh Kreis: no reports, no offers', () => {
    const regions = Array.from({ length: 15 }, () => region());
    expect(defaultIndicator(regions)).toBe('population_density');
  });

  it('is the refugees rate once most units reported, and not while only a few have', () => {
    const fresh = Array.from({ length: 15 }, () => region());
    const few = fresh.map((r, i) => (i < 3 ? { ...r, refugees_per_1000: 4.2 } : r));
    expect(defaultIndicator(few)).toBe('population_density');
    const most = fresh.map((r, i) => (i < 9 ? { ...r, refugees_per_1000: 4.2 } : r));
    expect(defaultIndicator(most)).toBe('refugees_per_1000');
  });

  it('skips rates that are zero everywhere and takes offers where there are some', () => {
    const regions = Array.from({ length: 4 }, (_, i) => region({ refugees_per_1000: 0, housing_free_per_1000: 0, offers_total: i, offers_by_category: { sprache: i } }));
    expect(defaultIndicator(regions)).toBe('offers_per_10k');
    expect(defaultIndicator(regions, 'arbeit')).toBe('population_density');
  });

  it('falls back to the population when no area is known, and keeps the current one while nothing is loaded', () => {
    expect(defaultIndicator([region({ area_km2: null }), region({ area_km2: 0 })])).toBe('population');
    expect(defaultIndicator([])).toBeNull();
    expect(AUTO_INDICATORS.at(-1)).toBe('population');
  });

  it('computes the density from population and area', () => {
    expect(indicatorValue(region({ population: 15_000, area_km2: 120 }), 'population_density', 'all')).toBe(125);
    expect(indicatorValue(region({ population: null }), 'population_density', 'all')).toBeNull();
  });

  it('writes no indicator into the URL that was not chosen; a link naming one wins', () => {
    const auto = { ...DEFAULT_VIEW, indicator: 'population_density' as const };
    expect(serializeView(auto)).toBe('');
    const chosen = { ...auto, indicatorChosen: true };
    expect(serializeView(chosen)).toBe('ind=population_density');
    expect(parseView('#ind=refugees_per_1000')).toMatchObject({ indicator: 'refugees_per_1000', indicatorChosen: true });
    expect(parseView('#level=gemeinde')).toMatchObject({ indicatorChosen: false });
    expect(parseView('#ind=nonsense').indicatorChosen).toBe(false);
  });
});
