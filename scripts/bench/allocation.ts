// Issue 5: one aggregate recomputation over the 1,108 Gemeinden of Schleswig-Holstein (from
// the Destatis register in ../shared/data/official) as a fraction of a 16.7 ms frame.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRITERION_KEYS, computeLegalKey, suggestAllocation, type AllocationUnit } from '../../core/src/allocation/index.ts';
import { parseRegister } from '../../server/src/import/destatis.ts';
import { ROOT, ms, ratio, row } from './harness.ts';
import { parseSizes, runSolverBench } from './allocation-solvers.ts';
import { runOnlineBench } from './allocation-online.ts';

const REGISTER = join(ROOT, '..', 'shared', 'data', 'official', 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv');

/** Every Gemeinde of Land 01 as an allocation unit, with seeded criterion values. */
function shUnits(): AllocationUnit[] {
  const register = parseRegister(readFileSync(REGISTER, 'utf8'), REGISTER);
  let seed = 42;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32);
  return [...register.gemeinden.values()]
    .filter((g) => g.key.startsWith('01'))
    .map((g) => {
      const population = g.population ?? 0;
      const criteria = Object.fromEntries(CRITERION_KEYS.map((k) => [k, Math.round(rand() * population * 0.01)]));
      return { key: g.ars, name: g.name, population, prior_intake: Math.round(rand() * population * 0.005), housing_free: Math.round(rand() * population * 0.02) + 1, criteria };
    });
}

function fastest(runs: number, fn: () => unknown): number {
  for (let i = 0; i < 10; i++) fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export async function benchAllocation(): Promise<void> {
  console.log('\nAggregate recomputation, all Gemeinden of Schleswig-Holstein as units (a weight slider moved)');
  const units = shUnits();
  const weights = Object.fromEntries(CRITERION_KEYS.map((k, i) => [k, 0.5 + i / 4]));
  const input = { units, n: 3_000, weights, max_deviation: { unit: 'percent' as const, value: 50 } };
  const result = suggestAllocation(input);
  if (!result.ok) throw new Error('the benchmark input must be feasible');
  const legal = fastest(50, () => computeLegalKey(units, 3_000));
  const suggest = fastest(50, () => suggestAllocation(input));
  row(`units (Gemeinden of Land 01)`, String(units.length));
  row('legal key (Hare-Niemeyer with crediting)', ms(legal));
  row('need-based suggestion', ms(suggest));
  row('suggestion / 16.7 ms frame', ratio(suggest / 16.7), 'goal < 1');
}

/** The household integer program with HiGHS, native CBC and glpk.js side by side, and the greedy gap. */
export async function benchSolvers(): Promise<void> {
  console.log(
    '\nHousehold matching: HiGHS vs native CBC vs glpk.js on the same models (BENCH_SOLVER_SECONDS, default 120; ' +
      'BENCH_CBC_SECONDS, default the same; BENCH_SOLVER_GAP, default 0; BENCH_SOLVER_SIZES, e.g. 1000x15,1000x20)',
  );
  const sizes = process.env.BENCH_SOLVER_SIZES;
  const cbc = process.env.BENCH_CBC_SECONDS;
  await runSolverBench({
    time_limit: Number(process.env.BENCH_SOLVER_SECONDS ?? 120),
    mip_rel_gap: Number(process.env.BENCH_SOLVER_GAP ?? 0),
    ...(sizes ? { sizes: parseSizes(sizes) } : {}),
    ...(cbc ? { cbc_time_limit: Number(cbc) } : {}),
    log: (line) => console.log(`  ${line}`),
  });
}

/** A year planned online (potentials from LP duals) vs greedy vs the hindsight optimum. */
export async function benchOnline(): Promise<void> {
  console.log('\nA year planned online: total fit / hindsight optimum (BENCH_YEARS, default 10)');
  const result = await runOnlineBench({ years: Number(process.env.BENCH_YEARS ?? 10), seed: 1, log: (line) => console.log(`  ${line}`) });
  const span = (s: { min: number; max: number }) => `min ${ratio(s.min)}, max ${ratio(s.max)}`;
  row('greedy / hindsight (mean)', ratio(result.greedy.mean), span(result.greedy));
  row('potentials / hindsight (mean)', ratio(result.potentials.mean), `${span(result.potentials)}; goal: ≥ 0.98 in every year`);
  row('years with potentials ≥ 0.98', `${result.years_at_goal} of ${result.years.length}`);
}
