import { consume, fitsAlone, type UnitCapacity } from './household-capacity.ts';
import { canonicalProfile, childrenUnder6, type HouseholdProfile } from './households.ts';
import {
  belowBand,
  buildOnlineModel,
  dualPrices,
  fitTable,
  primalValues,
  priceOf,
  yearCapacities,
  type LpSolver,
  type ModelBlock,
  type ModelGroup,
  type OnlineModel,
  type OnlineYear,
  type ProfileFit,
  type UnitPrices,
  ZERO_PRICES,
} from './online-model.ts';
import { forecastArrivals } from './simulate.ts';

// Online placement after Ahani, Andersson, Martinello, Teytelboym and Trapp, "Placement
// optimization in refugee resettlement", Operations Research 69(5), 2021 (Annie MOORE): before
// each weekly batch, sampled future arrivals stand for the rest of the year. With
// decision 'prices' (their potentials), the LP relaxation of this batch plus one scenario
// prices every kind of place by its dual, and the batch is placed by an integer program that
// maximises fit minus the priced places it uses. With decision 'saa' (the default), one
// integer program places the batch directly against all scenarios at once, each scenario a
// fractional block with its own copy of the remaining capacities (docs/allocation.md,
// section 10, says why). Greedy is the same loop with no solver: every household into its
// best unit with room.

export type OnlineMethod = 'greedy' | 'potentials';
/** How 'potentials' places a batch: see `OnlineOptions.decision`. */
export type OnlineDecision = 'saa' | 'prices';
/** 'average': one LP per scenario, duals averaged; 'joint': one two-stage LP over all scenarios. */
export type DualMode = 'average' | 'joint';

export interface OnlineOptions {
  method: OnlineMethod;
  /** Required for 'potentials'. */
  solver?: LpSolver;
  /** Forecast scenarios per batch (default 2 for 'saa', 4 for 'prices'). */
  scenarios?: number;
  /** With 'prices': how scenarios are combined (default 'average'). */
  duals?: DualMode;
  /**
   * Future arrivals after a week in one forecast draw (draws 0 .. scenarios × pool − 1);
   * default: drawn from the simulation's mix.
   */
  forecast?: (fromWeek: number, scenario: number) => HouseholdProfile[];
  /** Seconds per solver call (default 30). */
  time_limit?: number;
  /**
   * How the batch is placed (default 'saa'). 'saa': one integer program per week, the batch
   * integer and each forecast scenario a fractional block of weight 1/S with its own copy of the
   * remaining capacities (a sample-average two-stage program, solved for its first stage).
   * 'prices': Annie MOORE's potentials, duals of the scenario LPs as prices of places, then a
   * priced integer program for the batch.
   */
  decision?: OnlineDecision;
  /**
   * Forecast draws averaged into one scenario (counts become fractions; default 8 for 'saa',
   * 1 for 'prices'). Pooling lowers the noise of a scenario while `scenarios` keeps some of
   * its spread, at the size of one draw's distinct profiles times `pool`.
   */
  pool?: number;
}

export interface OnlinePlacement {
  week: number;
  /** Index of the household within its week's batch. */
  household: number;
  unit_key: string;
  /** Fit gain over the household's worst unit (see `ProfileFit`). */
  gain: number;
}

export interface OnlinePlan {
  method: OnlineMethod;
  /** Sum of gains over the households' worst units: the quantity compared with hindsight. */
  total_fit: number;
  /** Sum of raw householdFit values (0 = an average unit). */
  raw_fit: number;
  households: number;
  placements: OnlinePlacement[];
  /** Households for whom no unit had room when they arrived. */
  unplaced: { week: number; household: number }[];
  /** Units left below the lower end of the band at the end of the year. */
  below_band: { unit_key: string; persons: number; lower: number }[];
  solver_calls: number;
  /** Batches whose integer program returned no solution and that were placed greedily. */
  fallbacks: number;
  time_ms: number;
}

/** Large enough that no price difference ever outweighs placing a household. */
const PLACE_PENALTY = 100_000;
/** What the forecast LP loses per household it cannot place: a high but finite price. */
const FORECAST_PENALTY = 100;

interface BatchGroup extends ModelGroup {
  households: number[];
}

/** Identical profiles of a batch, in first-arrival order, with the households they stand for. */
function batchGroups(batch: readonly HouseholdProfile[], value: (p: HouseholdProfile) => number[]): BatchGroup[] {
  const groups = new Map<string, BatchGroup>();
  batch.forEach((profile, h) => {
    const key = JSON.stringify(canonicalProfile(profile));
    const group = groups.get(key);
    if (group) {
      group.count += 1;
      group.households.push(h);
    } else groups.set(key, { profile, count: 1, value: value(profile), households: [h] });
  });
  return [...groups.values()];
}

/**
 * Forecast households as model groups, `draws` draws pooled into one scenario (counts divided
 * by `draws`). Households with the same gains and the same places needed (persons,
 * barrier-free, Kita, school) are interchangeable in the model, so they form one group even
 * if their profiles differ: on a full year this halves the groups of a pooled scenario.
 */
function forecastGroups(
  households: readonly HouseholdProfile[],
  value: (p: HouseholdProfile) => number[],
  draws: number,
): ModelGroup[] {
  const groups = new Map<string, ModelGroup>();
  for (const profile of households) {
    const gains = value(profile);
    const needs = [profile.size, profile.needs_barrier_free, childrenUnder6(profile), profile.children_6_17];
    const key = JSON.stringify([needs, gains.map((g) => g.toFixed(9))]);
    const group = groups.get(key);
    if (group) group.count += 1 / draws;
    else groups.set(key, { profile, count: 1 / draws, value: gains });
  }
  return [...groups.values()];
}

/** Hardest first (barrier-free, then larger households), as in `greedyMatching`. */
function hardestFirst(a: BatchGroup, b: BatchGroup): number {
  const pa = a.profile;
  const pb = b.profile;
  return Number(pb.needs_barrier_free) - Number(pa.needs_barrier_free) || pb.size - pa.size;
}

/** Unit per household of the batch (-1: no room anywhere), best gain first. */
function greedyBatch(groups: readonly BatchGroup[], caps: UnitCapacity[]): Map<number, number> {
  const units = new Map<number, number>();
  for (const group of [...groups].sort(hardestFirst)) {
    for (const h of group.households) {
      let best = -1;
      caps.forEach((cap, u) => {
        if (fitsAlone(group.profile, cap) && (best < 0 || group.value[u]! > group.value[best]!)) best = u;
      });
      if (best >= 0) consume(caps[best]!, group.profile);
      units.set(h, best);
    }
  }
  return units;
}

/** Prices of every kind of place from the LP relaxation of the rest of the year. */
function potentials(
  solver: LpSolver,
  groups: readonly BatchGroup[],
  caps: readonly UnitCapacity[],
  future: (scenario: number) => ModelGroup[],
  options: { scenarios: number; duals: DualMode; time_limit: number },
): UnitPrices[] | null {
  const batch = { groups, weight: 1, penalty: PLACE_PENALTY };
  const scenario = (s: number, weight: number) => ({ groups: future(s), weight, penalty: FORECAST_PENALTY });
  const count = Math.max(1, options.scenarios);
  // 'joint': one two-stage LP, the batch placed once for all scenarios. 'average': one LP per
  // scenario, prices averaged (cheaper per solve, and what Annie MOORE describes).
  const relaxation = (scenarios: ModelBlock[]) => buildOnlineModel(batch, caps, { integer: false, scenarios });
  const models =
    options.duals === 'joint'
      ? [relaxation(Array.from({ length: count }, (_, s) => scenario(s, 1 / count)))]
      : Array.from({ length: count }, (_, s) => relaxation([scenario(s, 1)]));
  const sum = caps.map(() => ({ ...ZERO_PRICES }));
  for (const model of models) {
    const result = solver.solve(model.lp, { time_limit: options.time_limit });
    if (result.Status !== 'Optimal') return null;
    dualPrices(result, caps.length).forEach((price, u) => {
      for (const kind of Object.keys(price) as (keyof UnitPrices)[]) sum[u]![kind] += price[kind] / models.length;
    });
  }
  return sum;
}

/** Unit per household from a solved model's batch variables (-1: unplaced); capacities are consumed. */
function placedUnits(
  model: OnlineModel,
  values: readonly number[],
  groups: readonly BatchGroup[],
  caps: UnitCapacity[],
): Map<number, number> {
  const units = new Map<number, number>();
  const next = groups.map(() => 0);
  model.variables.forEach((v, i) => {
    const group = groups[v.group]!;
    // Integer variables come back as floats within the feasibility tolerance.
    for (let k = Math.round(values[i]!); k > 0; k--) {
      units.set(group.households[next[v.group]!++]!, v.unit);
      consume(caps[v.unit]!, group.profile);
    }
  });
  for (const group of groups) for (const h of group.households) if (!units.has(h)) units.set(h, -1);
  return units;
}

/** The batch's integer program: fit minus priced places, within what is left. */
function pricedBatch(
  solver: LpSolver,
  groups: readonly BatchGroup[],
  caps: UnitCapacity[],
  prices: readonly UnitPrices[],
  time_limit: number,
): Map<number, number> | null {
  const priced = groups.map((g) => ({ ...g, value: g.value.map((v, u) => v - priceOf(g.profile, prices[u]!)) }));
  const model = buildOnlineModel({ groups: priced, weight: 1, penalty: PLACE_PENALTY }, caps, { integer: true });
  const values = primalValues(model, solver.solve(model.lp, { mip_rel_gap: 0, time_limit }));
  return values && placedUnits(model, values, groups, caps);
}

/**
 * Sample-average model: the batch integer, each scenario a fractional block of weight 1/S with
 * its own copy of the capacity rows. Its first stage is the batch's placement. The gap 1e-4 is
 * relative to an objective that includes the scenarios (about 0.2 in fit early in a full year):
 * with 1e-6 the first week of seed 1 took 3-5 s instead of 0.8 s (later weeks 0.2-0.3 s either way).
 */
function saaBatch(
  solver: LpSolver,
  groups: readonly BatchGroup[],
  caps: UnitCapacity[],
  future: (scenario: number) => ModelGroup[],
  scenarios: number,
  time_limit: number,
): Map<number, number> | null {
  const count = Math.max(1, scenarios);
  const blocks = Array.from({ length: count }, (_, s) => ({
    groups: future(s),
    weight: 1 / count,
    penalty: FORECAST_PENALTY,
  }));
  const batch = { groups, weight: 1, penalty: PLACE_PENALTY };
  const model = buildOnlineModel(batch, caps, { integer: true, scenarios: blocks });
  const values = primalValues(model, solver.solve(model.lp, { mip_rel_gap: 1e-4, time_limit }));
  return values && placedUnits(model, values, groups, caps);
}

type FullOptions = OnlineOptions &
  Required<Pick<OnlineOptions, 'scenarios' | 'duals' | 'time_limit' | 'forecast' | 'decision' | 'pool'>>;

interface PlanState {
  caps: UnitCapacity[];
  calls: number;
  fallbacks: number;
}

/** Unit per household of one week's batch (-1: unplaced); capacities are consumed. */
function placeBatch(
  year: OnlineYear,
  week: number,
  options: FullOptions,
  fit: (p: HouseholdProfile) => ProfileFit,
  state: PlanState,
): Map<number, number> {
  const { solver, scenarios, duals, time_limit } = options;
  const groups = batchGroups(year.batches[week]!, (p) => fit(p).gain);
  if (options.method === 'greedy' || !solver || groups.length === 0) return greedyBatch(groups, state.caps);
  // Scenario s of the model: the mean of `pool` forecast draws (fractional counts).
  const pool = Math.max(1, options.pool);
  const future = (s: number): ModelGroup[] => {
    // 'prices' with single draws keeps the grouping its measurements in the docs were made with.
    if (pool === 1 && options.decision === 'prices') {
      return batchGroups(options.forecast(week, s), (p) => fit(p).gain);
    }
    const all = Array.from({ length: pool }, (_, k) => options.forecast(week, s * pool + k)).flat();
    return forecastGroups(all, (p) => fit(p).gain, pool);
  };
  if (options.decision === 'saa') {
    state.calls += 1;
    const placed = saaBatch(solver, groups, state.caps, future, scenarios, time_limit);
    if (placed) return placed;
    state.fallbacks += 1;
    return greedyBatch(groups, state.caps);
  }
  const prices = potentials(solver, groups, state.caps, future, { scenarios, duals, time_limit });
  state.calls += (duals === 'joint' ? 1 : scenarios) + 1;
  const priced = prices && pricedBatch(solver, groups, state.caps, prices, time_limit);
  if (priced) return priced;
  state.fallbacks += 1;
  return greedyBatch(groups, state.caps);
}

/** Plans a year batch by batch; only the current batch and the forecast are known. */
export function planOnline(year: OnlineYear, options: OnlineOptions): OnlinePlan {
  const start = performance.now();
  if (options.method === 'potentials' && !options.solver) throw new TypeError('the potentials method needs a solver');
  const full: FullOptions = {
    scenarios: options.decision === 'prices' ? 4 : 2,
    duals: 'average',
    time_limit: 30,
    decision: 'saa',
    pool: options.decision === 'prices' ? 1 : 8,
    forecast: (week: number, s: number) => forecastArrivals(year, week, s),
    ...options,
  };
  const fit = fitTable(year);
  const state: PlanState = { caps: yearCapacities(year), calls: 0, fallbacks: 0 };
  const initial = state.caps.map((c) => ({ ...c }));
  const plan = { placements: [] as OnlinePlacement[], unplaced: [] as OnlinePlan['unplaced'] };
  let total = 0;
  let raw = 0;
  year.batches.forEach((batch, week) => {
    const units = placeBatch(year, week, full, fit, state);
    batch.forEach((profile, household) => {
      const u = units.get(household) ?? -1;
      if (u < 0) return void plan.unplaced.push({ week, household });
      const { gain, raw: rawFit } = fit(profile);
      plan.placements.push({ week, household, unit_key: year.units[u]!.key, gain: gain[u]! });
      total += gain[u]!;
      raw += rawFit[u]!;
    });
  });
  return {
    method: options.method,
    total_fit: total,
    raw_fit: raw,
    households: year.batches.reduce((n, b) => n + b.length, 0),
    ...plan,
    below_band: belowBand(year, initial, state.caps),
    solver_calls: state.calls,
    fallbacks: state.fallbacks,
    time_ms: performance.now() - start,
  };
}

export { hindsightOptimum, type HindsightResult } from './online-hindsight.ts';
export {
  fitTable,
  yearCapacities,
  type LpSolver,
  type OnlineYear,
  type ProfileFit,
  type SolverResult,
  type UnitPrices,
} from './online-model.ts';
export {
  forecastArrivals,
  simulateYear,
  SIMULATION_WEIGHTS,
  weeklyShares,
  type SimulationOptions,
} from './simulate.ts';
export { drawHousehold, HOUSEHOLD_TYPES, mixMeans, mulberry32, ORIGINS, type HouseholdType } from './simulate-mix.ts';
