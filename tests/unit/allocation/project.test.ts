import { describe, expect, it } from 'vitest';
import { project, waterFill } from '../../../core/src/allocation/project.ts';

describe('waterFill', () => {
  it('scales all weights by one factor when nothing binds', () => {
    const { x } = waterFill([1, 2, 5], [0, 0, 0], [10, 10, 10], 4);
    expect(x).toEqual([0.5, 1, 2.5]);
  });

  it('redistributes what a capped unit cannot take in proportion to the others', () => {
    // Unit 2 is capped at 1; the rest, 7, goes to weights 1 and 2: scale 7/3.
    const { x, desired } = waterFill([1, 1, 2], [0, 0, 0], [10, 1, 10], 8);
    expect(x[0]).toBeCloseTo(7 / 3, 12);
    expect(x[1]).toBe(1);
    expect(x[2]).toBeCloseTo(14 / 3, 12);
    expect(desired[1]).toBeGreaterThan(1);
  });

  it('raises units to their lower bounds first', () => {
    const { x } = waterFill([1, 1], [3, 0], [10, 10], 4);
    expect(x).toEqual([3, 1]);
  });

  it('keeps units without weight at their lower bound', () => {
    expect(waterFill([0, 1], [2, 0], [10, 10], 5).x).toEqual([2, 3]);
  });
});

describe('project', () => {
  it('reaches units without legal quota only when all others are full', () => {
    const primary = [1, 1, 0];
    const overflow = [0, 0, 1];
    expect(project(primary, overflow, [0, 0, 0], [3, 3, 9], 5)).toMatchObject({
      x: [2.5, 2.5, 0],
      overflow: false,
    });
    expect(project(primary, overflow, [0, 0, 0], [3, 3, 9], 8)).toMatchObject({
      x: [3, 3, 2],
      overflow: true,
    });
  });
});
