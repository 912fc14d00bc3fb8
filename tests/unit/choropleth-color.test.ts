import { describe, expect, it } from 'vitest';
import { expression } from '@maplibre/maplibre-gl-style-spec';
import { classify } from '../../client/src/lib/map/classify.ts';
import { choroplethColor } from '../../client/src/lib/map/styles.ts';

// The fill colour of the region layer must be a valid MapLibre colour expression for every
// classification, also a degenerate one: MapLibre rejects an invalid one with an error in the page.
const SPEC = { type: 'color', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as const;

describe('choroplethColor', () => {
  for (const [name, values] of [
    ['no values', []],
    ['one value', [4.2]],
    ['all values alike', [3, 3, 3, 3]],
    ['two values', [1, 9]],
    ['many values', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ] as const) {
    it(`is a valid colour expression with ${name}`, () => {
      const { classes } = classify([...values], 'quantile', 5);
      const result = expression.createExpression(choroplethColor(classes), SPEC as never);
      expect(result.result, JSON.stringify(result.value)).toBe('success');
    });
  }

  it('colours a single class in that class\'s colour', () => {
    const { classes } = classify([3, 3, 3], 'quantile', 5);
    expect(classes).toHaveLength(1);
    expect(choroplethColor(classes)).toBe(classes[0]!.color);
  });
});
