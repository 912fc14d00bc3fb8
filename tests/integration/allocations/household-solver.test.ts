import { afterAll, describe, expect, it } from 'vitest';
import { greedyMatching, groupProfiles, type MatchingProblem, type MatchingUnit } from '@ilk/core';
import { HOUSEHOLD_HIGHS_OPTIONS, matchHouseholds } from '../../../server/src/services/household-matching.ts';
import { HighsUnavailableError, solveLp, stopHighs } from '../../../server/src/services/highs-solver.ts';
import { household } from './fixtures.ts';

// The server's solver path without a database: HiGHS in its worker thread, and the fallback.

/** A district of `count` units with room for everyone; criteria vary so that fits differ. */
function district(count: number): MatchingUnit[] {
  return Array.from({ length: count }, (_, i) => ({
    key: String(10_000_000_000 + i * 1_000).padStart(12, '0'),
    name: `Einheit ${i}`,
    population: 2_000 + ((i * 7_919) % 30_000),
    prior_intake: i % 5,
    housing_free: 8 + ((i * 13) % 30),
    housing_free_barrier_free: 2 + (i % 5),
    criteria: { kita_free: 5 + ((i * 17) % 20), school_free: 5 + ((i * 11) % 25), load: (i * 37) % 23, labour_market: (i * 29) % 40 },
    languages: [['uk', 'ar', 'fa', 'tr'][i % 4]!],
  }));
}

function households(count: number) {
  return Array.from({ length: count }, (_, i) =>
    household({ size: 1 + (i % 3) + (i % 5 === 0 ? 1 : 0), children_3_5: i % 5 === 0 ? 1 : 0, children_6_17: i % 3 === 2 ? 1 : 0, languages: [['uk', 'ar', 'fa', 'tr', 'so'][i % 5]!], needs_barrier_free: i % 23 === 0, needs_medical: i % 7 === 0 }),
  );
}

const weights = { kita_free: 1, school_free: 0.5, load: 1, labour_market: 0.5, language_match: 0.5 };

describe('household placement on the server', () => {
  afterAll(stopHighs);

  it('falls back to the greedy heuristic, marked with its gap, when HiGHS cannot be asked', async () => {
    const problem: MatchingProblem = { units: district(8), groups: groupProfiles(households(20)), weights };
    const failing = () => Promise.reject(new HighsUnavailableError('HiGHS did not answer within 20 s'));
    const outcome = await matchHouseholds(problem, 20, failing);
    const greedy = greedyMatching(problem);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.solver).toMatchObject({ method: 'heuristic', reason: 'HiGHS did not answer within 20 s', status: null, objective: greedy.objective, bound: greedy.upper_bound, gap: greedy.gap });
    expect(outcome.result.placements).toEqual(greedy.placements);
  });

  it('asks HiGHS with the household options, which it accepts, for a proof at gap 0', async () => {
    const problem: MatchingProblem = { units: district(8), groups: groupProfiles(households(40)), weights };
    const asked: Parameters<typeof solveLp>[1][] = [];
    const outcome = await matchHouseholds(problem, 20, (lp, options) => (asked.push(options), solveLp(lp, options)));
    expect(asked).toEqual([{ mip_pscost_minreliable: 0, mip_rel_gap: 0, time_limit: 20 }]);
    expect(HOUSEHOLD_HIGHS_OPTIONS).toEqual({ mip_pscost_minreliable: 0 });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    // An option HiGHS did not know would fail the solve and fall back to the heuristic.
    expect(outcome.solver).toMatchObject({ method: 'highs', status: 'Optimal', optimal: true, gap: 0 });
  }, 30_000);

  it('reports objective, bound and gap of a solve the time limit stopped', async () => {
    const problem: MatchingProblem = { units: district(200), groups: groupProfiles(households(900)), weights };
    const outcome = await matchHouseholds(problem, 1);
    expect(outcome.ok, JSON.stringify(outcome).slice(0, 500)).toBe(true);
    if (!outcome.ok) return;
    const { solver } = outcome;
    expect(solver.time_limit).toBe(1);
    expect(solver.bound).toBeGreaterThanOrEqual(solver.objective - 1e-6);
    expect(solver.gap).toBeCloseTo(Math.max(0, (solver.bound - solver.objective) / Math.max(1, Math.abs(solver.bound))), 12);
    // Within a second HiGHS either proves optimality, stops with its best placement, or has
    // none yet; the last case is the heuristic's, and says so.
    if (solver.method === 'heuristic') expect(solver.reason).toMatch(/Time limit reached/);
    else expect(solver.optimal).toBe(solver.status === 'Optimal');
    expect(outcome.result.units.reduce((s, u) => s + u.seats, 0)).toBe(outcome.result.n);
  }, 30_000);
});
