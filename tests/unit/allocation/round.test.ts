import { describe, expect, it } from 'vitest';
import { roundWithinBounds } from '../../../core/src/allocation/round.ts';

describe('roundWithinBounds', () => {
  it('hands out the missing persons by largest remainder, ties to the lower index', () => {
    expect(roundWithinBounds([1.5, 1.5, 2], [0, 0, 0], [9, 9, 9], 5)).toEqual([2, 1, 2]);
    expect(roundWithinBounds([0.2, 0.7, 2.1], [0, 0, 0], [9, 9, 9], 3)).toEqual([0, 1, 2]);
  });

  it('never rounds above an upper bound', () => {
    expect(roundWithinBounds([2, 0.4, 0.6], [0, 0, 0], [2, 5, 5], 3)).toEqual([2, 0, 1]);
  });

  it('absorbs floating-point error: a value just below an integer rounds up first', () => {
    expect(roundWithinBounds([2.9999999999999996, 0.5, 0.5], [0, 0, 0], [3, 9, 9], 4)).toEqual([3, 1, 0]);
  });
});
