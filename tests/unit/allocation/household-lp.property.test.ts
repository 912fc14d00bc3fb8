import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxHouseholds, unitCapacities, type UnitCapacity } from '../../../core/src/allocation/household-capacity.ts';
import {
  buildHouseholdModel,
  fitMatrix,
  groupProfiles,
  solveHouseholdModel,
  type HighsSolver,
  type HouseholdProfile,
  type MatchingProblem,
} from '../../../core/src/allocation/index.ts';
import { childrenUnder6 } from '../../../core/src/allocation/households.ts';
import { household, unit } from './fixtures.ts';

// The model's tightened variable bounds and merged classes must never cut off a feasible
// placement: on small instances, its optimum equals the optimum found by trying every
// assignment of every household to every unit.

let highs: HighsSolver;
beforeAll(async () => {
  highs = await highsLoader();
});

const profileArb: fc.Arbitrary<HouseholdProfile> = fc
  .record({
    adults: fc.integer({ min: 1, max: 3 }),
    children_0_2: fc.integer({ min: 0, max: 2 }),
    children_3_5: fc.integer({ min: 0, max: 1 }),
    children_6_17: fc.integer({ min: 0, max: 2 }),
    // 'de' is offered by no unit below: profiles differing only in it fall into one class.
    languages: fc.subarray(['ar', 'uk', 'de'], { minLength: 1 }),
    needs_barrier_free: fc.boolean(),
    needs_medical: fc.boolean(),
  })
  .map(({ adults, ...p }) => household({ ...p, size: adults + p.children_0_2 + p.children_3_5 + p.children_6_17 }));

const unitArb = (index: number) =>
  fc
    .record({
      housing_free: fc.integer({ min: 0, max: 12 }),
      barrier_free: fc.integer({ min: 0, max: 6 }),
      kita: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      school: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      labour_market: fc.integer({ min: 0, max: 50 }),
      languages: fc.subarray(['ar', 'uk']),
    })
    .map((u) => ({
      ...unit(index, {
        housing_free: u.housing_free,
        criteria: { kita_free: u.kita, school_free: u.school, labour_market: u.labour_market },
      }),
      housing_free_barrier_free: u.barrier_free,
      languages: u.languages,
    }));

const problemArb: fc.Arbitrary<MatchingProblem> = fc.record({
  units: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => unitArb(i + 1)))),
  groups: fc.array(profileArb, { minLength: 1, maxLength: 5 }).map(groupProfiles),
  weights: fc.constant({ kita_free: 1, labour_market: 1, language_match: 1 }),
  max_deviation: fc.option(
    fc.constantFrom({ unit: 'persons' as const, value: 1 }, { unit: 'percent' as const, value: 50 }),
    { nil: undefined },
  ),
});

type Use = { persons: number; barrier_free: number; kita: number; school: number };

const within = (cap: UnitCapacity, u: Use) =>
  u.persons <= cap.housing &&
  u.persons <= cap.band_hi &&
  u.barrier_free <= cap.barrier_free &&
  u.kita <= cap.kita &&
  u.school <= cap.school;

/** Best total fit over every assignment of households to units, or null if none fits. */
function bruteForce(problem: MatchingProblem): number | null {
  const caps = unitCapacities(problem);
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const households = problem.groups.flatMap((g, i) => Array.from({ length: g.count }, () => i));
  const used: Use[] = caps.map(() => ({ persons: 0, barrier_free: 0, kita: 0, school: 0 }));
  let best: number | null = null;
  const visit = (h: number, total: number): void => {
    if (h === households.length) {
      if (used.every((u, i) => u.persons >= caps[i]!.band_lo)) best = Math.max(best ?? -Infinity, total);
      return;
    }
    const g = households[h]!;
    const p = problem.groups[g]!.profile;
    const delta: Use = {
      persons: p.size,
      barrier_free: p.needs_barrier_free ? p.size : 0,
      kita: childrenUnder6(p),
      school: p.children_6_17,
    };
    const kinds = Object.keys(delta) as (keyof Use)[];
    used.forEach((u, i) => {
      for (const k of kinds) u[k] += delta[k];
      if (within(caps[i]!, u)) visit(h + 1, total + fit[g]![i]!);
      for (const k of kinds) u[k] -= delta[k];
    });
  };
  visit(0, 0);
  return best;
}

describe('maxHouseholds', () => {
  it('allows exactly the numbers of households that every row of the unit admits', () => {
    const capArb = fc.record({
      housing: fc.integer({ min: 0, max: 30 }),
      barrier_free: fc.integer({ min: 0, max: 10 }),
      kita: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(Infinity)),
      school: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(Infinity)),
      band_lo: fc.constant(0),
      band_hi: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(Infinity)),
    });
    fc.assert(
      fc.property(profileArb, capArb, fc.integer({ min: 1, max: 6 }), (p, cap, count) => {
        const max = maxHouseholds(p, cap, count);
        for (let k = 0; k <= count + 1; k++) {
          const use = { persons: k * p.size, barrier_free: p.needs_barrier_free ? k * p.size : 0, kita: k * childrenUnder6(p), school: k * p.children_6_17 };
          expect(k <= count && within(cap, use)).toBe(k <= max);
        }
      }),
    );
  });
});

describe('buildHouseholdModel (tightened bounds, merged classes)', () => {
  it('has the optimum of trying every assignment, and places every group as given', () => {
    fc.assert(
      fc.property(problemArb, (problem) => {
        const expected = bruteForce(problem);
        const exact = solveHouseholdModel(highs, buildHouseholdModel(problem));
        if (expected === null) {
          expect(exact.optimal).toBe(false);
          expect(exact.placements).toEqual([]);
          return;
        }
        expect(exact.status).toBe('Optimal');
        // The LP file carries fit to six decimals; the objective is recomputed from exact fit.
        expect(exact.objective!).toBeCloseTo(expected, 4);
        const placed = problem.groups.map(() => 0);
        for (const p of exact.placements) placed[p.group]! += p.households;
        expect(placed).toEqual(problem.groups.map((g) => g.count));
      }),
      { numRuns: 150 },
    );
  });

  it('merges groups that differ only in a language no unit offers', () => {
    const problem: MatchingProblem = {
      units: [{ ...unit(1, { housing_free: 10 }), languages: ['ar'] }, unit(2, { housing_free: 10 })],
      groups: groupProfiles([
        household({ languages: ['ar'] }),
        household({ languages: ['ar', 'de'] }),
        household({ languages: ['uk'] }),
      ]),
      weights: { language_match: 1 },
    };
    const model = buildHouseholdModel(problem);
    expect(model.classes).toHaveLength(2);
    const merged = model.classes.find((c) => c.length === 2)!;
    expect(merged.map((g) => problem.groups[g]!.profile.languages)).toEqual([['ar'], ['ar', 'de']]);
    const exact = solveHouseholdModel(highs, model);
    expect(exact.objective).toBeCloseTo(2, 6);
    const inUnit1 = exact.placements.filter((p) => p.unit_key === problem.units[0]!.key).map((p) => p.group);
    for (const g of merged) expect(inUnit1).toContain(g);
  });
});
