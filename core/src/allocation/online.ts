import { consume, fitsAlone, type UnitCapacity } from './household-capacity.ts';
import { canonicalProfile, type HouseholdProfile } from './households.ts';
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
  type OnlineYear,
  type ProfileFit,
  type UnitPrices,
  ZERO_PRICES,
} from './online-model.ts';
import { forecastArrivals } from './simulate.ts';

// Online placement after Ahani, Andersson, Martinello, Teytelboym and Trapp, "Placement
// optimization in refugee resettlement", Operations Research 69(5), 2021 (Annie MOORE): before
// each weekly batch, the LP relaxation of the rest of the year (this batch plus sampled future
// arrivals) prices every kind of place by its dual; the batch is then placed by an integer
// program that maximises fit minus the priced places it uses. Greedy is the same loop with
// all prices zero and no solver: every household into its best unit with room.

export type OnlineMethod = 'greedy' | 'potentials';
/** 'average': one LP per scenario, duals averaged; 'joint': one two-stage LP over all scenarios. */
export type DualMode = 'average' | 'joint';

export interface OnlineOptions {
  method: OnlineMethod;
  /** Required for 'potentials'. */
  solver?: LpSolver;
  /** Forecast scenarios per batch whose dual prices are averaged (default 4). */
  scenarios?: number;
  /** How scenarios are combined (default 'average'). */
  duals?: DualMode;
  /** Future arrivals after a week in one scenario; default: drawn from the simulation's mix. */
  forecast?: (fromWeek: number, scenario: number) => HouseholdProfile[];
  /** Seconds per solver call (default 30). */
  time_limit?: number;
  /** LP algorithm for the scenario LPs: 'simplex' (vertex duals) or 'ipm' (central duals, no crossover). */
  lp?: 'simplex' | 'ipm';
  /** Weight of last week's prices in this week's (exponential smoothing; default 0). */
  smoothing?: number;
  /** 'prices': priced integer program; 'saa': batch integer, scenarios fractional, one model. */
  decision?: 'prices' | 'saa';
  /** Objective loss per forecast household the scenario LP cannot place (default 100). */
  forecast_penalty?: number;
  /** Bonus per household for the unit share the scenario LPs gave its group (default 0). */
  primal_bonus?: number;
  /** Forecast draws averaged into each scenario (fractional counts; default 1). */
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
  options: { scenarios: number; duals: DualMode; time_limit: number; lp: 'simplex' | 'ipm'; penalty: number },
): { prices: UnitPrices[]; share: number[][] } | null {
  const batch = { groups, weight: 1, penalty: PLACE_PENALTY };
  const scenario = (s: number, weight: number) => ({ groups: future(s), weight, penalty: options.penalty });
  const count = Math.max(1, options.scenarios);
  // 'joint': one two-stage LP, the batch placed once for all scenarios. 'average': one LP per
  // scenario, prices averaged (cheaper per solve, and what Annie MOORE describes).
  const relaxation = (scenarios: ModelBlock[]) => buildOnlineModel(batch, caps, { integer: false, scenarios });
  const models =
    options.duals === 'joint'
      ? [relaxation(Array.from({ length: count }, (_, s) => scenario(s, 1 / count)))]
      : Array.from({ length: count }, (_, s) => relaxation([scenario(s, 1)]));
  const sum = caps.map(() => ({ ...ZERO_PRICES }));
  // Share of each batch group the relaxations put in each unit, averaged over the models.
  const share = groups.map(() => caps.map(() => 0));
  for (const model of models) {
    const algorithm = options.lp === 'ipm' ? ({ solver: 'ipm', run_crossover: 'off' } as const) : {};
    const result = solver.solve(model.lp, { time_limit: options.time_limit, ...algorithm });
    if (result.Status !== 'Optimal') return null;
    dualPrices(result, caps.length).forEach((price, u) => {
      for (const kind of Object.keys(price) as (keyof UnitPrices)[]) sum[u]![kind] += price[kind] / models.length;
    });
    const values = primalValues(model, result);
    if (values) model.variables.forEach((v, i) => {
      share[v.group]![v.unit]! += values[i]! / groups[v.group]!.count / models.length;
    });
  }
  return { prices: sum, share };
}

/** The batch's integer program: fit minus priced places, within what is left. */
function pricedBatch(
  solver: LpSolver,
  groups: readonly BatchGroup[],
  caps: UnitCapacity[],
  prices: readonly UnitPrices[],
  time_limit: number,
  bonus: { weight: number; share: number[][] } = { weight: 0, share: [] },
): Map<number, number> | null {
  const priced = groups.map((g, i) => ({
    ...g,
    value: g.value.map((v, u) => v - priceOf(g.profile, prices[u]!) + bonus.weight * (bonus.share[i]?.[u] ?? 0)),
  }));
  const model = buildOnlineModel({ groups: priced, weight: 1, penalty: PLACE_PENALTY }, caps, { integer: true });
  const values = primalValues(model, solver.solve(model.lp, { mip_rel_gap: 0, time_limit }));
  if (!values) return null;
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

/** Sample-average model: the batch integer, each scenario fractional with weight 1/S. */
function saaBatch(
  solver: LpSolver,
  groups: readonly BatchGroup[],
  caps: UnitCapacity[],
  future: (scenario: number) => ModelGroup[],
  scenarios: number,
  time_limit: number,
): Map<number, number> | null {
  const count = Math.max(1, scenarios);
  const blocks = Array.from({ length: count }, (_, s) => ({ groups: future(s), weight: 1 / count, penalty: FORECAST_PENALTY }));
  const model = buildOnlineModel({ groups, weight: 1, penalty: PLACE_PENALTY }, caps, { integer: true, scenarios: blocks });
  const values = primalValues(model, solver.solve(model.lp, { mip_rel_gap: 1e-6, time_limit }));
  if (!values) return null;
  const units = new Map<number, number>();
  const next = groups.map(() => 0);
  model.variables.forEach((v, i) => {
    const group = groups[v.group]!;
    for (let k = Math.round(values[i]!); k > 0; k--) {
      units.set(group.households[next[v.group]!++]!, v.unit);
      consume(caps[v.unit]!, group.profile);
    }
  });
  for (const group of groups) for (const h of group.households) if (!units.has(h)) units.set(h, -1);
  return units;
}

type FullOptions = OnlineOptions &
  Required<Pick<OnlineOptions, 'scenarios' | 'duals' | 'time_limit' | 'forecast' | 'lp' | 'smoothing' | 'decision' | 'forecast_penalty' | 'primal_bonus' | 'pool'>>;

interface PlanState {
  caps: UnitCapacity[];
  calls: number;
  fallbacks: number;
  previous: UnitPrices[] | null;
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
    if (pool === 1) return batchGroups(options.forecast(week, s), (p) => fit(p).gain);
    const all = Array.from({ length: pool }, (_, k) => options.forecast(week, s * pool + k)).flat();
    return batchGroups(all, (p) => fit(p).gain).map((g) => ({ ...g, count: g.count / pool }));
  };
  if (options.decision === 'saa') {
    state.calls += 1;
    const placed = saaBatch(solver, groups, state.caps, future, scenarios, time_limit);
    if (placed) return placed;
    state.fallbacks += 1;
    return greedyBatch(groups, state.caps);
  }
  const relaxed = potentials(solver, groups, state.caps, future, { scenarios, duals, time_limit, lp: options.lp, penalty: options.forecast_penalty });
  let prices = relaxed?.prices ?? null;
  state.calls += (duals === 'joint' ? 1 : scenarios) + 1;
  if (prices && state.previous && options.smoothing > 0) {
    const a = options.smoothing;
    const last = state.previous;
    prices = prices.map((price, u) => {
      const out = { ...price };
      for (const kind of Object.keys(out) as (keyof UnitPrices)[]) out[kind] = (1 - a) * price[kind] + a * last[u]![kind];
      return out;
    });
  }
  if (prices) state.previous = prices;
  const bonus = { weight: options.primal_bonus, share: relaxed?.share ?? [] };
  const priced = prices && pricedBatch(solver, groups, state.caps, prices, time_limit, bonus);
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
    lp: 'simplex',
    smoothing: 0,
    decision: 'saa',
    forecast_penalty: FORECAST_PENALTY,
    primal_bonus: 0,
    pool: options.decision === 'prices' ? 1 : 8,
    forecast: (week: number, s: number) => forecastArrivals(year, week, s),
    ...options,
  };
  const fit = fitTable(year);
  const state: PlanState = { caps: yearCapacities(year), calls: 0, fallbacks: 0, previous: null };
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
