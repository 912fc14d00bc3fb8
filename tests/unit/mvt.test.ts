import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { encodeTile } from '../../server/src/services/mvt.ts';

// The encoder is checked against an independent decoder (the one MapLibre uses).
describe('MVT encoder', () => {
  it('writes every geometry type, value type and a large feature id so they decode unchanged', () => {
    const bytes = encodeTile([{
      name: 'things', extent: 4096, features: [
        { id: 10995901086, properties: { name: 'Süd', n: 7, neg: -3, share: 0.25, open: true, none: null }, geometry: { type: 'Point', coordinates: [10, 20] } },
        { properties: { name: 'Süd' }, geometry: { type: 'MultiPoint', coordinates: [[1, 2], [4095, 4096]] } },
        { properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [-64, 100], [4160, 100]] } },
        { properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]], [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]], [[[20, 20], [20, 30], [30, 30], [20, 20]]]] } },
      ],
    }]);
    const layer = new VectorTile(new PbfReader(bytes)).layers.things!;
    expect([layer.version, layer.extent, layer.length]).toEqual([2, 4096, 4]);
    const [point, multi, line, polygon] = [0, 1, 2, 3].map((i) => layer.feature(i));
    expect(point!.id).toBe(10995901086);
    expect(point!.properties).toEqual({ name: 'Süd', n: 7, neg: -3, share: 0.25, open: true });
    expect(point!.loadGeometry()).toEqual([[{ x: 10, y: 20 }]]);
    expect(multi!.properties).toEqual({ name: 'Süd' });
    expect(multi!.loadGeometry()).toEqual([[{ x: 1, y: 2 }], [{ x: 4095, y: 4096 }]]);
    expect(line!.type).toBe(2);
    expect(line!.loadGeometry()[0]).toEqual([{ x: 0, y: 0 }, { x: -64, y: 100 }, { x: 4160, y: 100 }]);
    expect(polygon!.type).toBe(3);
    // ClosePath repeats the first point when decoded; three rings in one feature.
    expect(polygon!.loadGeometry().map((r) => r.length)).toEqual([5, 5, 4]);
  });

  it('leaves out features with nothing to draw, and writes no layer at all when none is left', () => {
    const degenerate = { properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 1], [0, 0]]] } };
    expect(encodeTile([{ name: 'empty', extent: 4096, features: [degenerate] }])).toHaveLength(0);
    expect(encodeTile([{ name: 'empty', extent: 4096, features: [] }])).toHaveLength(0);
  });
});
