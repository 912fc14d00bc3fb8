import { describe, expect, it } from 'vitest';
import { greedyMatching, type MatchingProblem } from '../../../core/src/allocation/index.ts';
import { household, tradeOff } from './fixtures.ts';

describe('greedyMatching', () => {
  it('places the larger household first in its best unit and reports the gap', () => {
    // Greedy: family to unit 1 (0.585), couple to unit 2 (0). Bound: 0.585 + 2 = 2.585.
    const result = greedyMatching(tradeOff);
    expect(result.placements).toEqual([
      { group: 0, unit_key: '010000000001', households: 1 },
      { group: 1, unit_key: '010000000002', households: 1 },
    ]);
    expect(result.objective).toBeCloseTo(Math.log2(1.5), 12);
    expect(result.upper_bound).toBeCloseTo(Math.log2(1.5) + 2, 12);
    expect(result.gap).toBeCloseTo(2 / (Math.log2(1.5) + 2), 12);
  });

  it('places barrier-free needs first and reports households without room', () => {
    const problem: MatchingProblem = {
      ...tradeOff,
      groups: [
        { profile: household({ size: 4 }), count: 4 },
        { profile: household({ needs_barrier_free: true }), count: 1 },
      ],
    };
    // No unit reports barrier-free places; 12 places take three of the four 4-person households.
    expect(greedyMatching(problem).unplaced).toEqual([
      { group: 1, households: 1 },
      { group: 0, households: 1 },
    ]);
  });

  it('reports units left below the band around the legal key', () => {
    // Two persons: legal key 1 / 1; a deviation of 0 pins both units at exactly 1 person, so
    // the couple fits nowhere and both units stay below their band.
    const problem: MatchingProblem = {
      ...tradeOff,
      groups: [{ profile: household(), count: 1 }],
      max_deviation: { unit: 'persons', value: 0 },
    };
    const result = greedyMatching(problem);
    expect(result.unplaced).toEqual([{ group: 0, households: 1 }]);
    expect(result.below_band).toEqual([
      { unit_key: '010000000001', persons: 0, lower: 1 },
      { unit_key: '010000000002', persons: 0, lower: 1 },
    ]);
  });
});
