import {
  buildHouseholdModel,
  computeLegalKey,
  fitMatrix,
  greedyMatching,
  solveHouseholdModel,
  totalPersons,
  type GroupPlacement,
  type HouseholdInfeasibility,
  type HouseholdResult,
  type SolverReport,
  type MatchingProblem,
  type MatchingSolution,
} from '@ilk/core';
import { consume, unitCapacities } from '@ilk/core/allocation/household-capacity';
import { HighsUnavailableError, replay, solveLp } from './highs-solver.ts';

export type MatchingOutcome =
  | { ok: true; result: HouseholdResult; solver: SolverReport }
  | { ok: false; infeasibility: HouseholdInfeasibility };

/**
 * HiGHS options for the household model beyond the gap and time limit. Trusting pseudocosts at
 * once (`mip_pscost_minreliable` 0 instead of 8 strong-branching observations) proved a Kreis's
 * year (1,000 households onto 15 and 20 units) in a half to three quarters of the time on every
 * instance and seed measured, and closed 500 × 130's gap at 120 s from 0.42 % to 0.08 %
 * (docs/allocation.md, "A Kreis's year"). The bench solves with the same options.
 */
export const HOUSEHOLD_HIGHS_OPTIONS = { mip_pscost_minreliable: 0 } as const;

const gapOf = (bound: number, objective: number) => Math.max(0, (bound - objective) / Math.max(1, Math.abs(bound)));

/** Per-unit persons and households of a placement, beside the legal key for all persons. */
export function householdResult(
  problem: MatchingProblem,
  placements: GroupPlacement[],
  objective: number,
  extra: Pick<HouseholdResult, 'unplaced' | 'below_band'> = { unplaced: [], below_band: [] },
): HouseholdResult {
  const n = totalPersons(problem.groups);
  const legal = new Map(computeLegalKey(problem.units, n, problem).units.map((seat) => [seat.key, seat]));
  const caps = unitCapacities(problem);
  const units = problem.units.map((unit, u) => {
    const here = placements.filter((p) => p.unit_key === unit.key);
    const seats = here.reduce((sum, p) => sum + p.households * problem.groups[p.group]!.profile.size, 0);
    const seat = legal.get(unit.key)!;
    const deviation = seats - seat.seats;
    return {
      key: unit.key,
      name: unit.name,
      legal_quota: seat.quota,
      legal_seats: seat.seats,
      households: here.reduce((sum, p) => sum + p.households, 0),
      seats,
      deviation_persons: deviation,
      deviation_percent: seat.seats > 0 ? (100 * deviation) / seat.seats : null,
      lower_bound: caps[u]!.band_lo,
      upper_bound: Math.min(caps[u]!.housing, caps[u]!.band_hi),
    };
  });
  const households = problem.groups.reduce((sum, g) => sum + g.count, 0);
  return { ok: true, mode: 'households', n, households, groups: problem.groups, placements, objective, ...extra, units };
}

function infeasibility(problem: MatchingProblem, unplaceable: number[], greedy: MatchingSolution): HouseholdInfeasibility {
  const size = (g: number) => problem.groups[g]!.profile.size;
  return {
    reason: unplaceable.length > 0 ? 'unplaceable_households' : 'no_feasible_placement',
    shortfall: greedy.unplaced.reduce((sum, u) => sum + u.households * size(u.group), 0),
    unplaceable: unplaceable.map((g) => ({ group: g, profile: problem.groups[g]!.profile, households: problem.groups[g]!.count })),
    unplaced: greedy.unplaced,
    below_band: greedy.below_band,
  };
}

interface Fallback {
  reason: string;
  status: string | null;
  /** A proven bound from HiGHS, when it got that far; the greedy bound otherwise. */
  bound: number;
  started: number;
  timeLimit: number;
}

function heuristic(problem: MatchingProblem, greedy: MatchingSolution, f: Fallback): MatchingOutcome {
  const optimal = greedy.unplaced.length === 0 && gapOf(f.bound, greedy.objective) === 0;
  return {
    ok: true,
    result: householdResult(problem, greedy.placements, greedy.objective, { unplaced: greedy.unplaced, below_band: greedy.below_band }),
    solver: {
      method: 'heuristic', reason: f.reason, status: f.status, optimal,
      objective: greedy.objective, bound: f.bound, gap: gapOf(f.bound, greedy.objective),
      time_ms: Math.round(performance.now() - f.started), time_limit: f.timeLimit,
    },
  };
}

/**
 * Places the households with HiGHS (proven optimal within the time limit, or the best
 * placement found by then); falls back to the greedy heuristic, marked as such, when HiGHS
 * fails, times out without a placement, or cannot be reached. A proof of infeasibility from
 * HiGHS, or a household that fits nowhere, is reported, not papered over.
 */
export async function matchHouseholds(problem: MatchingProblem, timeLimit: number, solve: typeof solveLp = solveLp): Promise<MatchingOutcome> {
  const model = buildHouseholdModel(problem);
  const greedy = greedyMatching(problem);
  if (model.unplaceable.length > 0) return { ok: false, infeasibility: infeasibility(problem, model.unplaceable, greedy) };
  const started = performance.now();
  const fallback = (reason: string, status: string | null, bound = greedy.upper_bound) =>
    heuristic(problem, greedy, { reason, status, bound, started, timeLimit });
  let answer;
  try {
    answer = await solve(model.lp, { ...HOUSEHOLD_HIGHS_OPTIONS, mip_rel_gap: 0, time_limit: timeLimit });
  } catch (err) {
    if (!(err instanceof HighsUnavailableError)) throw err;
    return fallback(err.message, null);
  }
  const exact = solveHouseholdModel(replay(answer), model, { time_limit: timeLimit });
  if (exact.status === 'Infeasible') return { ok: false, infeasibility: infeasibility(problem, [], greedy) };
  // Both are valid upper bounds; HiGHS's is on the model's six-decimal coefficients.
  const bound = Math.min(answer.dual_bound ?? Infinity, greedy.upper_bound);
  if (exact.objective === null) return fallback(`HiGHS ended with "${exact.status}" and no placement`, exact.status, bound);
  // A solve stopped by the time limit may hold a placement worse than the heuristic's.
  const greedyPlacesAll = greedy.unplaced.length === 0 && greedy.below_band.length === 0;
  if (!exact.optimal && greedyPlacesAll && greedy.objective > exact.objective) {
    return fallback(`HiGHS ended with "${exact.status}" and a placement worse than the heuristic's (total fit ${exact.objective.toFixed(3)})`, exact.status, bound);
  }
  const proven = exact.optimal ? exact.objective : bound;
  return {
    ok: true,
    result: householdResult(problem, exact.placements, exact.objective),
    solver: {
      method: 'highs', status: exact.status, optimal: exact.optimal, objective: exact.objective,
      bound: proven, gap: gapOf(proven, exact.objective),
      time_ms: Math.round(performance.now() - started), time_limit: timeLimit,
    },
  };
}

export interface PlacementCheck {
  feasible: boolean;
  problems: string[];
  objective: number;
}

/**
 * Whether a submitted placement places every household exactly once within every capacity
 * and band of the model, and its total fit. Used when a plan is stored.
 */
export function checkPlacements(problem: MatchingProblem, placements: readonly GroupPlacement[]): PlacementCheck {
  const caps = unitCapacities(problem);
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const index = new Map(problem.units.map((unit, u) => [unit.key, u]));
  const placed = problem.groups.map(() => 0);
  const problems: string[] = [];
  let objective = 0;
  for (const p of placements) {
    const u = index.get(p.unit_key);
    const group = problem.groups[p.group];
    if (u === undefined || !group) {
      problems.push(`placement of group ${p.group} in ${p.unit_key} names no such group or unit`);
      continue;
    }
    placed[p.group]! += p.households;
    objective += p.households * fit[p.group]![u]!;
    for (let h = 0; h < p.households; h++) consume(caps[u]!, group.profile);
  }
  placed.forEach((count, g) => {
    if (count !== problem.groups[g]!.count) problems.push(`group ${g}: ${count} of ${problem.groups[g]!.count} households placed`);
  });
  caps.forEach((cap, u) => {
    const key = problem.units[u]!.key;
    for (const field of ['housing', 'barrier_free', 'kita', 'school', 'band_hi'] as const) {
      if (cap[field] < 0) problems.push(`${key}: ${field} exceeded by ${-cap[field]}`);
    }
    if (cap.band_lo > 0) problems.push(`${key}: ${cap.band_lo} persons below the band`);
  });
  return { feasible: problems.length === 0, problems, objective };
}
