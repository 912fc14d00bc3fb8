import { consume } from './household-capacity.ts';
import { groupProfiles } from './households.ts';
import {
  belowBand,
  buildOnlineModel,
  fitTable,
  primalValues,
  yearCapacities,
  type LpSolver,
  type OnlineYear,
} from './online-model.ts';

// The benchmark an online method is measured against: the whole year placed at once, knowing
// every arrival. Capacities are yearly totals and fit does not depend on the week, so the week
// of arrival does not matter and identical profiles can be grouped over the whole year: one
// integer variable per distinct profile and unit (a few thousand for a simulated year, which
// HiGHS-WASM solves to proven optimality; the LP bound is reported beside it all the same).

export interface HindsightResult {
  /** HiGHS status of the integer program. */
  status: string;
  optimal: boolean;
  /** Sum of gains (see `ProfileFit`); null without an integer solution. */
  total_fit: number | null;
  raw_fit: number | null;
  /** Upper bound on total_fit from the LP relaxation (for the same number of placed households). */
  lp_bound: number | null;
  households: number;
  unplaced: number;
  below_band: { unit_key: string; persons: number; lower: number }[];
  /** Integer variables of the model. */
  variables: number;
  time_ms: number;
}

const PLACE_PENALTY = 100_000;

export function hindsightOptimum(
  year: OnlineYear,
  solver: LpSolver,
  options: { time_limit?: number } = {},
): HindsightResult {
  const start = performance.now();
  const time_limit = options.time_limit ?? 120;
  const fit = fitTable(year);
  const caps = yearCapacities(year);
  const initial = caps.map((c) => ({ ...c }));
  const households = year.batches.reduce((n, b) => n + b.length, 0);
  const groups = groupProfiles(year.batches.flat()).map((g) => ({ ...g, value: fit(g.profile).gain }));
  const block = { groups, weight: 1, penalty: PLACE_PENALTY };
  const model = (integer: boolean) => buildOnlineModel(block, caps, { integer });
  const relaxed = solver.solve(model(false).lp, { time_limit });
  const exact = model(true);
  const result = solver.solve(exact.lp, { mip_rel_gap: 0, time_limit });
  const values = primalValues(exact, result);
  const base = { status: result.Status, households, variables: exact.variables.length };
  if (!values) {
    const timing = { time_ms: performance.now() - start, below_band: [] };
    return { ...base, optimal: false, total_fit: null, raw_fit: null, lp_bound: null, unplaced: households, ...timing };
  }
  let total = 0;
  let raw = 0;
  let placed = 0;
  exact.variables.forEach((v, i) => {
    const count = Math.round(values[i]!);
    const { profile } = groups[v.group]!;
    for (let k = 0; k < count; k++) consume(caps[v.unit]!, profile);
    total += count * fit(profile).gain[v.unit]!;
    raw += count * fit(profile).raw[v.unit]!;
    placed += count;
  });
  const unplaced = households - placed;
  // The LP objective charges the penalty for its own unplaced households; adding it back for
  // the integer solution's count bounds every solution that places as many.
  const lp_bound =
    relaxed.Status === 'Optimal' && typeof relaxed.ObjectiveValue === 'number'
      ? relaxed.ObjectiveValue + PLACE_PENALTY * unplaced
      : null;
  return {
    ...base,
    optimal: result.Status === 'Optimal',
    total_fit: total,
    raw_fit: raw,
    lp_bound,
    unplaced,
    below_band: belowBand(year, initial, caps),
    time_ms: performance.now() - start,
  };
}
