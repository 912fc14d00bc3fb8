import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { consume, fitsAlone, unitCapacities } from '../../../core/src/allocation/household-capacity.ts';
import { formatNumber } from '../../../core/src/allocation/household-lp.ts';
import {
  buildHouseholdModel,
  fitMatrix,
  groupProfiles,
  solveHouseholdModel,
  type GroupPlacement,
  type HouseholdProfile,
  type MatchingProblem,
} from '../../../core/src/allocation/index.ts';
import { childrenUnder6 } from '../../../core/src/allocation/households.ts';
import { household, unit } from './fixtures.ts';

// The engine's model has one integer variable per class (profile groups the model cannot tell
// apart) and unit, and hands each class's households back to its groups afterwards. Here it is
// checked against the plain model with one binary variable per household and unit, written
// independently below, on instances with repeated profiles (where classes matter) and too many
// households to try every assignment: both must have the same optimum, and the handed-back
// placement must keep every capacity and band row.

let highs: Awaited<ReturnType<typeof highsLoader>>;
beforeAll(async () => {
  highs = await highsLoader();
});

// A small pool, so that households repeat. Each household adds 'de' or 'fa' to its profile's
// languages: no unit below offers them, so the two variants of a profile fall into one class.
const profileArb: fc.Arbitrary<HouseholdProfile> = fc
  .record({
    adults: fc.integer({ min: 1, max: 2 }),
    children_0_2: fc.integer({ min: 0, max: 1 }),
    children_3_5: fc.integer({ min: 0, max: 1 }),
    children_6_17: fc.integer({ min: 0, max: 2 }),
    languages: fc.subarray(['ar', 'uk']),
    needs_barrier_free: fc.integer({ min: 0, max: 4 }).map((k) => k === 0),
    needs_medical: fc.boolean(),
  })
  .map(({ adults, ...p }) => household({ ...p, size: adults + p.children_0_2 + p.children_3_5 + p.children_6_17 }));

const unitArb = (index: number) =>
  fc
    .record({
      housing_free: fc.integer({ min: 5, max: 60 }),
      barrier_free: fc.integer({ min: 0, max: 12 }),
      kita: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
      school: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
      labour_market: fc.integer({ min: 0, max: 50 }),
      health_care: fc.integer({ min: 0, max: 10 }),
      population: fc.integer({ min: 1_000, max: 20_000 }),
      languages: fc.subarray(['ar', 'uk']),
    })
    .map((u) => ({
      ...unit(index, {
        population: u.population,
        housing_free: u.housing_free,
        criteria: { kita_free: u.kita, school_free: u.school, labour_market: u.labour_market, health_care: u.health_care },
      }),
      housing_free_barrier_free: u.barrier_free,
      languages: u.languages,
    }));

const problemArb: fc.Arbitrary<MatchingProblem> = fc.record({
  units: fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => unitArb(i + 1)))),
  // 6-14 households from 1-4 profiles: every profile repeats on average.
  groups: fc
    .tuple(fc.array(profileArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 6, maxLength: 14 }))
    .map(([pool, picks]) =>
      groupProfiles(
        picks.map((i) => {
          const p = pool[i % pool.length]!;
          return { ...p, languages: [...p.languages, i % 2 === 0 ? 'de' : 'fa'] };
        }),
      ),
    ),
  weights: fc.constant({ kita_free: 1, school_free: 0.5, labour_market: 1, health_care: 0.5, language_match: 1 }),
  max_deviation: fc.option(
    fc.constantFrom({ unit: 'persons' as const, value: 8 }, { unit: 'percent' as const, value: 100 }),
    { nil: undefined, freq: 1 },
  ),
});

/**
 * The household model: a binary y_h_u per household and unit it fits alone, each household
 * placed once, per unit the same housing, barrier-free, Kita, school and band rows. Returns its
 * optimum on the six-decimal coefficients both models write, or null if it has none.
 */
function householdModelOptimum(problem: MatchingProblem): number | null {
  const caps = unitCapacities(problem);
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const households = problem.groups.flatMap((g, i) => Array.from({ length: g.count }, () => i));
  const vars = households.flatMap((g, h) =>
    caps.flatMap((cap, u) => (fitsAlone(problem.groups[g]!.profile, cap) ? [{ h, g, u, name: `y_${h}_${u}` }] : [])),
  );
  if (households.some((_, h) => !vars.some((v) => v.h === h))) return null;
  const sum = (terms: [number, string][]) => terms.filter(([c]) => c !== 0).map(([c, v]) => `+ ${c} ${v}`).join(' ');
  const rows: string[] = [];
  households.forEach((_, h) => rows.push(` place_${h}: ${sum(vars.filter((v) => v.h === h).map((v) => [1, v.name]))} = 1`));
  caps.forEach((cap, u) => {
    const here = vars.filter((v) => v.u === u);
    const row = (name: string, amount: (p: HouseholdProfile) => number, sense: string, rhs: number) => {
      const terms = sum(here.map((v) => [amount(problem.groups[v.g]!.profile), v.name]));
      if (Number.isFinite(rhs) && terms !== '') rows.push(` ${name}_${u}: ${terms} ${sense} ${rhs}`);
      else if (sense === '>=' && rhs > 0 && terms === '') rows.push(` ${name}_${u}: 0 z_${u} >= ${rhs}`);
    };
    row('housing', (p) => p.size, '<=', cap.housing);
    row('barrier_free', (p) => (p.needs_barrier_free ? p.size : 0), '<=', cap.barrier_free);
    row('kita', childrenUnder6, '<=', cap.kita);
    row('school', (p) => p.children_6_17, '<=', cap.school);
    row('band_hi', (p) => p.size, '<=', cap.band_hi);
    if (cap.band_lo > 0) row('band_lo', (p) => p.size, '>=', cap.band_lo);
  });
  const objective = vars.map((v) => `+ ${formatNumber(fit[v.g]![v.u]!)} ${v.name}`).join(' ');
  const lp = ['Maximize', ` fit: ${objective || '0 y_none'}`, 'Subject To', ...rows, 'Binary', ...vars.map((v) => ` ${v.name}`), 'End', ''].join('\n');
  const result = highs.solve(lp, { mip_rel_gap: 0 });
  if (result.Status === 'Infeasible') return null;
  expect(result.Status).toBe('Optimal');
  return result.ObjectiveValue ?? 0;
}

/** Total fit of a placement on the six-decimal coefficients of the LP file. */
function writtenObjective(problem: MatchingProblem, placements: readonly GroupPlacement[]): number {
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const index = new Map(problem.units.map((u, i) => [u.key, i]));
  return placements.reduce((sum, p) => sum + p.households * Number(formatNumber(fit[p.group]![index.get(p.unit_key)!]!)), 0);
}

/** Every group placed exactly as often as it has households; every unit's rows kept. */
function violations(problem: MatchingProblem, placements: readonly GroupPlacement[]): string[] {
  const caps = unitCapacities(problem);
  const index = new Map(problem.units.map((u, i) => [u.key, i]));
  const placed = problem.groups.map(() => 0);
  const out: string[] = [];
  for (const p of placements) {
    const u = index.get(p.unit_key);
    if (u === undefined || p.households <= 0) out.push(`bad placement ${JSON.stringify(p)}`);
    else for (let k = 0; k < p.households; k++) consume(caps[u]!, problem.groups[p.group]!.profile);
    placed[p.group]! += p.households;
  }
  placed.forEach((n, g) => n !== problem.groups[g]!.count && out.push(`group ${g}: ${n} of ${problem.groups[g]!.count}`));
  caps.forEach((cap, u) => {
    for (const row of ['housing', 'barrier_free', 'kita', 'school', 'band_hi'] as const) {
      if (cap[row] < 0) out.push(`unit ${u}: ${row} exceeded by ${-cap[row]}`);
    }
    if (cap.band_lo > 0) out.push(`unit ${u}: ${cap.band_lo} persons below the band`);
  });
  return out;
}

describe('class model against the household model', () => {
  it('has the household model optimum, and its handed-back placement keeps every row', () => {
    let merged = 0;
    let solved = 0;
    fc.assert(
      fc.property(problemArb, (problem) => {
        const model = buildHouseholdModel(problem);
        if (model.classes.some((c) => c.length > 1)) merged += 1;
        const exact = solveHouseholdModel(highs, model);
        const expected = householdModelOptimum(problem);
        if (expected === null) {
          expect(exact.optimal).toBe(false);
          expect(exact.placements).toEqual([]);
          return;
        }
        solved += 1;
        expect(exact.status).toBe('Optimal');
        expect(violations(problem, exact.placements)).toEqual([]);
        // Both optima are proven to HiGHS's absolute tolerance of 1e-6 on the same coefficients.
        expect(Math.abs(writtenObjective(problem, exact.placements) - expected)).toBeLessThan(1e-5);
      }),
      { numRuns: 120, seed: 18 },
    );
    // The generator must exercise what the test is about: merged classes and feasible instances.
    expect(merged).toBeGreaterThan(10);
    expect(solved).toBeGreaterThan(30);
  });

  it('hands a class back to its groups within every row, whatever the split of its variables', () => {
    // Two groups that differ only in a language no unit offers share one class: 5 households
    // in a unit of 6 places with 2 Kita places, so the split must not overfill either.
    const problem: MatchingProblem = {
      units: [
        { ...unit(1, { housing_free: 6, criteria: { kita_free: 2, labour_market: 40 } }), languages: ['ar'] },
        { ...unit(2, { housing_free: 20, criteria: { kita_free: 10, labour_market: 1 } }), languages: [] },
      ],
      groups: groupProfiles([
        ...Array.from({ length: 3 }, () => household({ size: 2, children_3_5: 1, languages: ['de'] })),
        ...Array.from({ length: 4 }, () => household({ size: 2, children_3_5: 1, languages: ['fa'] })),
      ]),
      weights: { labour_market: 1, kita_free: 1, language_match: 1 },
    };
    const model = buildHouseholdModel(problem);
    expect(model.classes).toEqual([[0, 1]]);
    const exact = solveHouseholdModel(highs, model);
    expect(exact.status).toBe('Optimal');
    expect(violations(problem, exact.placements)).toEqual([]);
    expect(writtenObjective(problem, exact.placements)).toBeCloseTo(householdModelOptimum(problem)!, 5);
  });
});
