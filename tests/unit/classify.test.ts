import { describe, expect, it } from 'vitest';
import { classIndex, classify, jenksBreaks, quantileBreaks, ramp } from '../../client/src/lib/map/classify.ts';

describe('quantileBreaks', () => {
  it('splits into classes of equal size', () => {
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)).toEqual([1, 3, 5, 7, 9]);
  });

  it('never splits tied values and so may return fewer classes', () => {
    expect(quantileBreaks([0, 0, 0, 0, 0, 0, 1, 2], 4)).toEqual([0, 1]);
  });

  it('returns no classes for no values', () => {
    expect(quantileBreaks([], 5)).toEqual([]);
  });
});

describe('jenksBreaks', () => {
  it('finds the obvious natural groups', () => {
    expect(jenksBreaks([1, 2, 3, 50, 51, 52, 100, 101], 3)).toEqual([1, 50, 100]);
  });

  it('uses no more classes than distinct values', () => {
    expect(jenksBreaks([5, 5, 7, 7], 5)).toEqual([5, 7]);
  });

  it('is independent of input order', () => {
    const xs = [12, 3, 44, 8, 19, 27, 1, 33, 5, 40];
    expect(jenksBreaks(xs, 4)).toEqual(jenksBreaks([...xs].reverse(), 4));
  });
});

describe('classify', () => {
  it('puts every value in exactly one class and counts missing values apart', () => {
    const values = [4, null, 8, 15, 16, 23, 42, null];
    const { classes, noData } = classify(values, 'quantile', 3);
    expect(noData).toBe(2);
    expect(classes.reduce((s, c) => s + c.count, 0)).toBe(6);
    for (const c of classes) expect(c.min).toBeLessThanOrEqual(c.max);
    // Classes do not overlap and ascend.
    for (let i = 1; i < classes.length; i++) expect(classes[i]!.min).toBeGreaterThan(classes[i - 1]!.max);
  });

  it('colours classes light to dark from the viridis ramp', () => {
    const { classes } = classify([1, 2, 3, 4, 5], 'jenks', 5);
    expect(classes.map((c) => c.color)).toEqual(ramp(5));
  });

  it('assigns a value on a boundary to the upper class', () => {
    expect(classIndex(5, [1, 5, 9])).toBe(1);
    expect(classIndex(4.99, [1, 5, 9])).toBe(0);
    expect(classIndex(100, [1, 5, 9])).toBe(2);
  });
});
