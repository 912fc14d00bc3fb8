import { describe, expect, it } from 'vitest';
import { DIVERGING, divergingClasses } from '../../client/src/lib/map/diverging.ts';
import { choroplethColor } from '../../client/src/lib/map/styles.ts';

describe('diverging classes for deviations', () => {
  it('puts exactly zero in the neutral class and splits each side symmetrically', () => {
    const c = divergingClasses([-5, -3, -2, -1, 0, 0, 1, 2, 3, 4, null]);
    expect(c.noData).toBe(1);
    expect(c.classes.map((k) => [k.min, k.max, k.count, k.color])).toEqual([
      [-5, -3, 2, DIVERGING[0]], [-2, -1, 2, DIVERGING[1]], [0, 0, 2, DIVERGING[2]], [1, 2, 2, DIVERGING[3]], [3, 4, 2, DIVERGING[4]],
    ]);
  });

  it('uses one strong class per side when deviations are single persons', () => {
    const c = divergingClasses([-1, 0, 1, 1]);
    expect(c.classes.map((k) => [k.min, k.max, k.color])).toEqual([[-1, -1, DIVERGING[0]], [0, 0, DIVERGING[2]], [1, 1, DIVERGING[4]]]);
  });

  it('gives the same colour to the same size of deviation above and below', () => {
    const c = divergingClasses([-4, 4, -1, 1]);
    const colour = (v: number) => c.classes.find((k) => v >= k.min && v <= k.max)!.color;
    expect(DIVERGING.indexOf(colour(-4) as never) + DIVERGING.indexOf(colour(4) as never)).toBe(4);
    expect(DIVERGING.indexOf(colour(-1) as never) + DIVERGING.indexOf(colour(1) as never)).toBe(4);
  });

  it('makes a step expression MapLibre accepts (stops strictly ascending)', () => {
    for (const values of [[0, 0], [-1, 1], [-7, 0, 2], [3, 9]]) {
      const step = choroplethColor(divergingClasses(values).classes);
      const stops = Array.isArray(step) ? step.slice(3).filter((_, i) => i % 2 === 0) as number[] : [];
      expect(stops).toEqual([...stops].sort((a, b) => a - b));
      expect(new Set(stops).size).toBe(stops.length);
    }
  });
});
