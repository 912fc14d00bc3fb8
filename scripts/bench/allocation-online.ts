/**
 * A year planned online (docs/allocation.md, "A year planned online"): for each simulated year,
 * greedy and potentials (Annie MOORE) against the hindsight optimum, with their times.
 *
 *   npx tsx scripts/bench/allocation-online.ts [--years 10] [--seed 1] [--scenarios S]
 */
import highsLoader from 'highs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  hindsightOptimum,
  planOnline,
  simulateYear,
  type LpSolver,
  type OnlinePlan,
  type SimulationOptions,
} from '../../core/src/allocation/index.ts';

export interface OnlineBenchOptions {
  years?: number;
  seed?: number;
  scenarios?: number;
  /** Seconds for the hindsight integer program (default 300). */
  hindsight_time_limit?: number;
  simulation?: Omit<SimulationOptions, 'seed'>;
  log?: (line: string) => void;
}

interface MethodResult {
  ratio: number;
  total_fit: number;
  unplaced: number;
  time_ms: number;
}

export interface OnlineBenchYear {
  seed: number;
  households: number;
  persons: number;
  hindsight: { total_fit: number; lp_bound: number | null; optimal: boolean; variables: number; time_ms: number };
  /** What the ratios divide by: the proven optimum, or the LP bound when HiGHS stopped early. */
  denominator: 'optimum' | 'lp_bound';
  greedy: MethodResult;
  potentials: MethodResult;
}

/** Lowest, mean and highest of one ratio over the simulated years. */
export interface Spread {
  min: number;
  mean: number;
  max: number;
}

export interface OnlineBenchResult {
  years: OnlineBenchYear[];
  greedy: Spread;
  potentials: Spread;
  /** Years in which potentials reached the goal of 0.98 of hindsight. */
  years_at_goal: number;
  /** All years together: the total fit achieved online over the total of the hindsight optima. */
  total: { greedy_ratio: number; potentials_ratio: number };
  mean: {
    greedy_ratio: number;
    potentials_ratio: number;
    greedy_ms: number;
    potentials_ms: number;
    hindsight_ms: number;
  };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const spread = (xs: readonly number[]): Spread => ({ min: Math.min(...xs), mean: mean(xs), max: Math.max(...xs) });
/** The goal of issue 5, section 4: online at least 0.98 of the hindsight optimum. */
export const GOAL = 0.98;

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const denominatorOf = (y: OnlineBenchYear) => (y.denominator === 'optimum' ? y.hindsight.total_fit : (y.hindsight.lp_bound ?? y.hindsight.total_fit));

function method(plan: OnlinePlan, denominator: number): MethodResult {
  return {
    ratio: plan.total_fit / denominator,
    total_fit: plan.total_fit,
    unplaced: plan.unplaced.length,
    time_ms: plan.time_ms,
  };
}

function benchYear(highs: LpSolver, seed: number, options: OnlineBenchOptions): OnlineBenchYear {
  const year = simulateYear({ ...options.simulation, seed });
  const households = year.batches.flat();
  const hindsight = hindsightOptimum(year, highs, { time_limit: options.hindsight_time_limit ?? 300 });
  if (hindsight.total_fit === null) {
    throw new Error(`hindsight found no solution for seed ${seed}: ${hindsight.status}`);
  }
  const denominator = hindsight.optimal ? hindsight.total_fit : (hindsight.lp_bound ?? hindsight.total_fit);
  const greedy = planOnline(year, { method: 'greedy' });
  const scenarios = options.scenarios === undefined ? {} : { scenarios: options.scenarios };
  const potentials = planOnline(year, { method: 'potentials', solver: highs, ...scenarios });
  return {
    seed,
    households: households.length,
    persons: households.reduce((n, h) => n + h.size, 0),
    hindsight: {
      total_fit: hindsight.total_fit,
      lp_bound: hindsight.lp_bound,
      optimal: hindsight.optimal,
      variables: hindsight.variables,
      time_ms: hindsight.time_ms,
    },
    denominator: hindsight.optimal ? 'optimum' : 'lp_bound',
    greedy: method(greedy, denominator),
    potentials: method(potentials, denominator),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runOnlineBench(options: OnlineBenchOptions = {}): Promise<OnlineBenchResult> {
  const log = options.log ?? (() => {});
  const highs = await highsLoader();
  const first = options.seed ?? 1;
  const years: OnlineBenchYear[] = [];
  log(
    'seed  households  persons  greedy/hindsight  potentials/hindsight  unplaced g/p  ' +
      'time greedy / potentials / hindsight',
  );
  for (let i = 0; i < (options.years ?? 10); i++) {
    const y = benchYear(highs, first + i, options);
    years.push(y);
    const bound = y.denominator === 'lp_bound' ? ' (vs LP bound)' : '';
    log(
      `${String(y.seed).padEnd(6)}${String(y.households).padEnd(12)}${String(y.persons).padEnd(9)}` +
        `${pct(y.greedy.ratio).padEnd(18)}${(pct(y.potentials.ratio) + bound).padEnd(22)}` +
        `${`${y.greedy.unplaced}/${y.potentials.unplaced}`.padEnd(14)}` +
        `${sec(y.greedy.time_ms)} / ${sec(y.potentials.time_ms)} / ${sec(y.hindsight.time_ms)}`,
    );
  }
  const result: OnlineBenchResult = {
    years,
    greedy: spread(years.map((y) => y.greedy.ratio)),
    potentials: spread(years.map((y) => y.potentials.ratio)),
    years_at_goal: years.filter((y) => y.potentials.ratio >= GOAL).length,
    total: {
      greedy_ratio: sum(years.map((y) => y.greedy.total_fit)) / sum(years.map(denominatorOf)),
      potentials_ratio: sum(years.map((y) => y.potentials.total_fit)) / sum(years.map(denominatorOf)),
    },
    mean: {
      greedy_ratio: mean(years.map((y) => y.greedy.ratio)),
      potentials_ratio: mean(years.map((y) => y.potentials.ratio)),
      greedy_ms: mean(years.map((y) => y.greedy.time_ms)),
      potentials_ms: mean(years.map((y) => y.potentials.time_ms)),
      hindsight_ms: mean(years.map((y) => y.hindsight.time_ms)),
    },
  };
  const m = result.mean;
  const range = (s: Spread) => `min ${pct(s.min)}, mean ${pct(s.mean)}, max ${pct(s.max)}`;
  log(`greedy/hindsight      ${range(result.greedy)}`);
  log(`potentials/hindsight  ${range(result.potentials)}; ${result.years_at_goal} of ${years.length} years ≥ ${pct(GOAL)}`);
  log(`all ${years.length} years together (total fit online / total of the hindsight optima): potentials ${pct(result.total.potentials_ratio)}, greedy ${pct(result.total.greedy_ratio)}; goal ≥ ${pct(GOAL)}`);
  log(`mean time greedy ${sec(m.greedy_ms)}, potentials ${sec(m.potentials_ms)}, hindsight ${sec(m.hindsight_ms)}`);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { years: { type: 'string' }, seed: { type: 'string' }, scenarios: { type: 'string' } },
  });
  await runOnlineBench({
    years: Number(values.years ?? 10),
    seed: Number(values.seed ?? 1),
    ...(values.scenarios === undefined ? {} : { scenarios: Number(values.scenarios) }),
    log: (line) => console.log(line),
  });
}
