import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { frameOf, offerDots } from '../../client/src/lib/components/dashboard/report-map.ts';
import { scopeName, sumRows } from '../../client/src/lib/components/dashboard/report-scope.ts';
import type { DashboardRow } from '../../client/src/lib/api/dashboard.ts';

// The printed report's SVG maps and its scope: pure functions.

const square = (x0: number, y0: number, d: number): Polygon => ({
  type: 'Polygon', coordinates: [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]],
});

describe('the report map frame', () => {
  it('fits the areas into the width, north up, and keeps a tall region within the height', () => {
    const f = frameOf([square(10, 53, 1), square(11, 53, 1)], 600, 800, 10)!;
    expect(f.width).toBe(600);
    // Two squares side by side: twice as wide as high (Mercator stretches the north a little).
    expect(f.height).toBeGreaterThan(300);
    expect(f.height).toBeLessThan(600 / 2 * 1.8);
    const [x, y] = f.point([10, 54])!;
    expect(x).toBeCloseTo(10, 0);
    expect(y).toBeCloseTo(10, 0);
    expect(f.point([10, 53])![1]).toBeGreaterThan(y);
    expect(f.point([30, 53])).toBeNull();
    expect(f.path(square(10, 53, 1))).toMatch(/^M[0-9.]+,[0-9.]+(L[0-9.]+,[0-9.]+){4}Z$/);
    const tall = frameOf([square(10, 50, 0.1), square(10, 55, 0.1)], 600, 400)!;
    expect(tall.height).toBeLessThanOrEqual(400);
    expect(frameOf([], 600, 400)).toBeNull();
  });

  it('draws offers at one spot of one category as one dot that counts them', () => {
    const f = frameOf([square(10, 53, 1)], 500, 500)!;
    const dots = offerDots(f, [
      { coordinates: [10.5, 53.5], category: 'sprache' }, { coordinates: [10.50001, 53.5], category: 'sprache' },
      { coordinates: [10.5, 53.5], category: 'arbeit' }, { coordinates: [10.2, 53.2], category: 'sprache' },
      { coordinates: [40, 10], category: 'sprache' },
    ]);
    expect(dots.map((d) => [d.category, d.n]).sort()).toEqual([['arbeit', 1], ['sprache', 1], ['sprache', 2]]);
  });
});

const row = (key: string, population: number | null, offers: DashboardRow['offers'], open_needs = 0): DashboardRow =>
  ({ key, level: 'kreis', name: key, kind: 'Kreis', parent_key: null, population, offers, open_needs, capacity_history: [] });

describe('the report scope', () => {
  it('sums the key figures of the rows, all categories present', () => {
    const t = sumRows([row('a', 100, { sprache: { count: 2, places_total: 10, places_free: 3 } }, 1), row('b', 50, { arbeit: { count: 1, places_total: 4, places_free: 4 } }, 2)], ['sprache', 'arbeit', 'wohnen']);
    expect(t).toMatchObject({ population: 150, offers: 3, places_total: 14, places_free: 7, open_needs: 3 });
    expect(t.by_category.wohnen).toEqual({ count: 0, places_total: 0, places_free: 0 });
    expect(sumRows([row('a', 100, {}), row('b', null, {})], []).population).toBeNull();
  });

  it('names the region drilled into, a lone Kreis, the Land, or the Kreise seen: never "all Kreise" for one', () => {
    const several = (names: string) => `Kreise ${names}`;
    expect(scopeName({ parentName: 'Amt Büchen', kreise: [], land: null, several })).toBe('Amt Büchen');
    expect(scopeName({ parentName: null, kreise: [{ name: 'Herzogtum Lauenburg' }], land: null, several })).toBe('Herzogtum Lauenburg');
    expect(scopeName({ parentName: null, kreise: [{ name: 'Kiel' }, { name: 'Plön' }], land: { name: 'Schleswig-Holstein' }, several })).toBe('Schleswig-Holstein');
    expect(scopeName({ parentName: null, kreise: [{ name: 'Kiel' }, { name: 'Plön' }], land: null, several })).toBe('Kreise Kiel, Plön');
  });
});
