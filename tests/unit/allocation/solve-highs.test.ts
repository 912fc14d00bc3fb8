import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildHouseholdModel,
  greedyMatching,
  groupProfiles,
  solveHouseholdModel,
  type HighsSolver,
  type MatchingProblem,
} from '../../../core/src/allocation/index.ts';
import { generateDistrict, household, tradeOff } from './fixtures.ts';

let highs: HighsSolver;
beforeAll(async () => {
  highs = await highsLoader();
});

describe('solveHouseholdModel (real HiGHS)', () => {
  it('finds the placement greedy misses, within the upper bound', () => {
    // Couple to unit 1 (2), family to unit 2 (-1): total 1, better than greedy's 0.585.
    const exact = solveHouseholdModel(highs, buildHouseholdModel(tradeOff));
    expect(exact).toMatchObject({ status: 'Optimal', optimal: true });
    expect(exact.objective).toBeCloseTo(1, 6);
    expect(exact.placements).toEqual([
      { group: 0, unit_key: '010000000002', households: 1 },
      { group: 1, unit_key: '010000000001', households: 1 },
    ]);
    const greedy = greedyMatching(tradeOff);
    expect(exact.objective!).toBeGreaterThanOrEqual(greedy.objective);
    expect(exact.objective!).toBeLessThanOrEqual(greedy.upper_bound);
  });

  it('reports infeasibility as a status, not as a partial placement', () => {
    const crowded: MatchingProblem = { ...tradeOff, groups: [{ profile: household({ size: 4 }), count: 4 }] };
    expect(solveHouseholdModel(highs, buildHouseholdModel(crowded))).toEqual({
      status: 'Infeasible',
      optimal: false,
      objective: null,
      placements: [],
    });
  });

  it('solves a district-sized model and never does worse than greedy', () => {
    // Generated criteria give the fit; capacities are set so that everyone can be placed.
    const units = generateDistrict(15, 11).map((u) => ({
      ...u,
      housing_free: 12,
      housing_free_barrier_free: 6,
      criteria: { ...u.criteria, kita_free: 3, school_free: 3 },
    }));
    const profiles = Array.from({ length: 25 }, (_, i) =>
      household({
        size: 1 + (i % 5),
        children_3_5: i % 5 > 2 ? 1 : 0,
        children_6_17: i % 5 > 3 ? 1 : 0,
        needs_barrier_free: i % 17 === 0,
        languages: i % 3 === 0 ? ['ar'] : ['uk'],
      }),
    );
    const problem: MatchingProblem = {
      units,
      groups: groupProfiles(profiles),
      weights: { kita_free: 0.5, school_free: 0.5, labour_market: 1, load: 1 },
    };
    const greedy = greedyMatching(problem);
    const exact = solveHouseholdModel(highs, buildHouseholdModel(problem), { time_limit: 20 });
    expect(greedy.unplaced).toEqual([]);
    expect(exact.optimal).toBe(true);
    expect(exact.objective!).toBeGreaterThanOrEqual(greedy.objective - 1e-6);
    expect(exact.objective!).toBeLessThanOrEqual(greedy.upper_bound + 1e-6);
  }, 30_000);
});
