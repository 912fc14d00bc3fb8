/**
 * The household integer program (buildHouseholdModel) solved by HiGHS and by GLPK (glpk.js),
 * on the same LP text, with the greedy heuristic's gap on the same instances; and by native CBC
 * (Debian's coinor-cbc, command `cbc`) on the same LP file when it is installed.
 *
 *   npx tsx scripts/bench/allocation-solvers.ts [--seed 1] [--time-limit 120] [--gap 0] [--sizes 1000x15,1000x20]
 */
import GLPK, { type LP } from 'glpk.js/node';
import highsLoader from 'highs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HighsUnavailableError, replay, solveLp, stopHighs } from '../../server/src/services/highs-solver.ts';
import { HOUSEHOLD_HIGHS_OPTIONS } from '../../server/src/services/household-matching.ts';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  buildHouseholdModel,
  drawHousehold,
  fitMatrix,
  greedyMatching,
  groupProfiles,
  mulberry32,
  simulateYear,
  solveHouseholdModel,
  type HouseholdModel,
  type LpSolver,
  type MatchingProblem,
} from '../../core/src/allocation/index.ts';

export interface SolverBenchOptions {
  seed?: number;
  /** Seconds per solve (default 120). */
  time_limit?: number;
  sizes?: [households: number, units: number][];
  /** HiGHS's relative gap; 0 (default) asks for a proof to its absolute tolerance of 1e-6. */
  mip_rel_gap?: number;
  /** Seconds for CBC (default: time_limit); CBC is skipped, and says so, when `cbc` is not installed. */
  cbc_time_limit?: number;
  log?: (line: string) => void;
}

/** Places of each kind over the places the instance's households need: 1 is no room to spare. */
export interface InstanceSlack {
  housing: number;
  barrier_free: number;
  kita: number;
  school: number;
}

export interface SolverBenchRow {
  households: number;
  units: number;
  /** Profile groups, and classes after merging interchangeable groups. */
  groups: number;
  classes: number;
  variables: number;
  slack: InstanceSlack;
  /** The LP relaxation's objective: no integer solution can exceed it. */
  lp_bound: number | null;
  /**
   * HiGHS in its server worker; bound is HiGHS's proven dual bound, gap (bound - objective) / |bound|;
   * cpu_ms the process's CPU time during the solve (the main thread waits), which the machine's
   * load distorts less than the wall-clock time_ms.
   */
  highs: { status: string; objective: number | null; bound: number | null; gap: number | null; time_ms: number; cpu_ms: number };
  glpk: { status: string; objective: number | null; time_ms: number };
  /** Native CBC on the same LP file; null when the `cbc` command is not installed. */
  cbc: CbcResult | null;
  /** Both proven optimal with the same objective (1e-4). */
  objectives_equal: boolean;
  /**
   * HiGHS and CBC both proved optimality: 'equal' within 1e-6, 'MISMATCH' otherwise (one of
   * them is wrong); null unless both proved it.
   */
  cbc_check: 'equal' | 'MISMATCH' | null;
  /** GLPK time / HiGHS time; null unless both proved optimality (a ratio of two time limits says nothing). */
  time_ratio: number | null;
  greedy: {
    objective: number;
    unplaced: number;
    time_ms: number;
    /** What the gap is measured against: HiGHS's proven optimum, or its best solution at the limit. */
    against: 'optimum' | 'incumbent' | null;
    gap: number | null;
    /** Greedy's gain over everyone's worst unit, as a share of the reference's. */
    share_of_gain: number | null;
  };
}

type Glpk = Awaited<ReturnType<typeof GLPK>>;

/**
 * Small, medium and the crisis week's 130 small units; and a Kreis's year onto its Ämter and
 * amtsfreie Gemeinden (15 as in Herzogtum Lauenburg, 20 for a larger Kreis).
 */
export const SIZES: [number, number][] = [
  [50, 15],
  [150, 40],
  [500, 130],
  [1000, 15],
  [1000, 20],
];

/** "1000x15,1000x20" → [[1000, 15], [1000, 20]]. */
export function parseSizes(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`size "${part}" is not households x units, e.g. 1000x15`);
    return [Number(match[1]), Number(match[2])];
  });
}

/**
 * Households from the simulation's mix; units from its district generator, sized for them with
 * some room (10 % more housing, half again as many Kita and school places as expected children).
 * No band: with 130 units of about ten seats each, +-15 % would be +-1 person. Barrier-free
 * places are 12 times the expected need: spread over 130 small units, fewer leave no unit that
 * can take a barrier-free family of six, and the instance is infeasible.
 */
export function householdInstance(households: number, units: number, seed: number): MatchingProblem {
  const random = mulberry32(seed);
  const profiles = Array.from({ length: households }, () => drawHousehold(random));
  const persons = profiles.reduce((n, p) => n + p.size, 0);
  const room = { housing_tightness: 1.1, kita_tightness: 1.5, school_tightness: 1.5, barrier_free_tightness: 12 };
  const year = simulateYear({ seed, units, persons, weeks: 1, ...room });
  return { units: year.units, groups: groupProfiles(profiles), weights: year.weights };
}

/** Totals of the units' places over the households' needs; unreported Kita/school places count as none. */
export function instanceSlack(problem: MatchingProblem): InstanceSlack {
  const need = (f: (p: MatchingProblem['groups'][number]['profile']) => number) =>
    problem.groups.reduce((n, g) => n + g.count * f(g.profile), 0);
  const have = (f: (u: MatchingProblem['units'][number]) => number) => problem.units.reduce((n, u) => n + f(u), 0);
  return {
    housing: have((u) => u.housing_free ?? 0) / need((p) => p.size),
    barrier_free: have((u) => u.housing_free_barrier_free ?? 0) / need((p) => (p.needs_barrier_free ? p.size : 0)),
    kita: have((u) => u.criteria.kita_free ?? 0) / need((p) => p.children_0_2 + p.children_3_5),
    school: have((u) => u.criteria.school_free ?? 0) / need((p) => p.children_6_17),
  };
}

type Terms = { name: string; coef: number }[];

function terms(tokens: readonly string[]): Terms {
  const out: Terms = [];
  let sign = 1;
  let coef = 1;
  for (const token of tokens) {
    if (token === '+' || token === '-') sign = token === '-' ? -1 : 1;
    else if (/^[\d.]/.test(token)) coef = Number(token);
    else {
      out.push({ name: token, coef: sign * coef });
      sign = 1;
      coef = 1;
    }
  }
  return out;
}

/** Reads the subset of CPLEX LP that buildHouseholdModel writes into glpk.js's object form. */
export function lpToGlpk(lp: string, glpk: Glpk): LP {
  const sections = new Map<string, string[]>();
  let current = '';
  for (const line of lp.split('\n')) {
    if (line.startsWith('\\') || line.trim() === '') continue;
    if (!line.startsWith(' ')) sections.set((current = line.trim()), []);
    else sections.get(current)?.push(line.trim());
  }
  const tokens = (section: string) => (sections.get(section) ?? []).join(' ').split(/\s+/).filter(Boolean);
  const subjectTo: LP['subjectTo'] = [];
  let row: string[] = [];
  for (const token of tokens('Subject To')) {
    row.push(token);
    const n = row.length;
    if (n >= 3 && ['<=', '>=', '='].includes(row[n - 2]!)) {
      const [sense, rhs] = [row[n - 2]!, Number(row[n - 1])];
      const type = sense === '<=' ? glpk.GLP_UP : sense === '>=' ? glpk.GLP_LO : glpk.GLP_FX;
      const name = row[0]!.replace(/:$/, '');
      subjectTo.push({ name, vars: terms(row.slice(1, -2)), bnds: { type, lb: rhs, ub: rhs } });
      row = [];
    }
  }
  // Bound lines are either "lb <= x <= ub" or "x = value".
  const bounds = (sections.get('Bounds') ?? []).map((line) => {
    const parts = line.split(/\s+/);
    if (parts.length === 3) return { name: parts[0]!, type: glpk.GLP_FX, lb: Number(parts[2]), ub: Number(parts[2]) };
    return { name: parts[2]!, type: glpk.GLP_DB, lb: Number(parts[0]), ub: Number(parts[4]) };
  });
  return {
    name: 'households',
    objective: { direction: glpk.GLP_MAX, name: 'fit', vars: terms(tokens('Maximize').slice(1)) },
    subjectTo,
    bounds,
    generals: tokens('General'),
  };
}

/** Greedy's objective as a share of the optimum on the gain scale (0 = everyone in their worst unit). */
function shareOfGain(problem: MatchingProblem, greedy: number, optimum: number): number {
  const worst = fitMatrix(problem.groups, problem.units, problem.weights).reduce(
    (sum, row, g) => sum + problem.groups[g]!.count * Math.min(...row),
    0,
  );
  return (greedy - worst) / (optimum - worst);
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

function solveGlpk(glpk: Glpk, lp: string, limit: number): SolverBenchRow['glpk'] {
  const [solved, time_ms] = timed(() =>
    glpk.solve(lpToGlpk(lp, glpk), { msglev: glpk.GLP_MSG_OFF, tmlim: limit, mipgap: 0 }),
  );
  const { status, z } = solved.result;
  if (status === glpk.GLP_OPT) return { status: 'Optimal', objective: z, time_ms };
  if (status === glpk.GLP_FEAS) return { status: 'Time limit reached', objective: z, time_ms };
  const text = status === glpk.GLP_UNDEF ? 'No solution at the limit' : `GLPK status ${status}`;
  return { status: text, objective: null, time_ms };
}

export interface CbcResult {
  status: 'Optimal' | 'Time limit reached' | string;
  objective: number | null;
  /** CBC's proven bound (an upper bound when maximising); the objective when optimal. */
  bound: number | null;
  gap: number | null;
  time_ms: number;
  /** CBC's own CPU seconds, as it reports them. */
  cpu_ms: number | null;
  /** Total fit of CBC's solution recomputed from the model's fit values (checks the reading). */
  recomputed: number | null;
}

/** Whether the `cbc` command is on the PATH. */
export function cbcInstalled(): boolean {
  return spawnSync('sh', ['-c', 'command -v cbc'], { encoding: 'utf8' }).status === 0;
}

const numberAfter = (text: string, label: string) => {
  const match = new RegExp(`${label}\\s*:?\\s*(-?[\\d.eE+-]+)`).exec(text);
  return match ? Number(match[1]) : null;
};

/**
 * Native CBC on the same LP text, written to a file: wall-clock limit (timeMode elapsed, as
 * HiGHS's time_limit), relative and absolute gap 0, the solution read back from its file.
 */
export function solveCbc(model: HouseholdModel, limit: number): CbcResult {
  const dir = mkdtempSync(join(tmpdir(), 'ilk-cbc-'));
  try {
    const lpFile = join(dir, 'households.lp');
    const solFile = join(dir, 'households.sol');
    writeFileSync(lpFile, model.lp);
    const start = performance.now();
    const run = spawnSync('cbc', [lpFile, 'timeMode', 'elapsed', 'sec', String(limit), 'ratio', '0', 'allow', '0', 'solve', 'solu', solFile], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const time_ms = performance.now() - start;
    const out = run.stdout ?? '';
    const result = /Result - (.*)/.exec(out)?.[1]?.trim() ?? `no result (exit ${run.status})`;
    const status = result === 'Optimal solution found' ? 'Optimal' : result === 'Stopped on time limit' ? 'Time limit reached' : result;
    const cpu = numberAfter(out, 'Total time \\(CPU seconds\\)');
    let objective = numberAfter(out, 'Objective value');
    let recomputed: number | null = null;
    try {
      const fit = new Map(model.variables.map((v) => [v.name, v.fit]));
      const lines = readFileSync(solFile, 'utf8').split('\n');
      if (/objective value/.test(lines[0] ?? '') && !/infeasible/i.test(lines[0] ?? '')) {
        recomputed = 0;
        for (const line of lines.slice(1)) {
          const [, name, value] = line.trim().split(/\s+/);
          if (name && value) recomputed += (fit.get(name) ?? 0) * Math.round(Number(value));
        }
      }
    } catch {
      // No solution file: CBC found no integer solution.
    }
    if (objective === null || recomputed === null) objective = null;
    const bound = status === 'Optimal' ? objective : numberAfter(out, 'Upper bound');
    const gap = objective === null || bound === null ? null : Math.max(0, bound - objective) / Math.max(1, Math.abs(bound));
    return { status, objective, bound, gap, time_ms, cpu_ms: cpu === null ? null : cpu * 1000, recomputed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lpBound(highs: LpSolver, lp: string, limit: number): number | null {
  const relaxed = highs.solve(lp.replace(/\nGeneral\n[\s\S]*?\nEnd/, '\nEnd'), { time_limit: limit });
  return relaxed.Status === 'Optimal' && typeof relaxed.ObjectiveValue === 'number' ? relaxed.ObjectiveValue : null;
}

async function solveHighs(model: HouseholdModel, limit: number, gap: number) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let answer;
  try {
    answer = await solveLp(model.lp, { ...HOUSEHOLD_HIGHS_OPTIONS, mip_rel_gap: gap, time_limit: limit });
  } catch (err) {
    // The server's watchdog (5 s past the limit) ended the worker: on a loaded machine reading a
    // large model can take that long. Reported as such, like the server's fallback would.
    if (!(err instanceof HighsUnavailableError)) throw err;
    answer = { Status: `no answer (${err.message})`, Columns: {}, objective: null, dual_bound: null, mip_gap: null, run_time: 0 };
  }
  const cpu_ms = process.cpuUsage(cpu).user / 1000;
  const exact = solveHouseholdModel(replay(answer), model);
  const time_ms = performance.now() - start;
  const bound = answer.dual_bound;
  const relative = bound === null || exact.objective === null ? null : Math.max(0, bound - exact.objective) / Math.max(1, Math.abs(bound));
  return { exact, row: { status: exact.status, objective: exact.objective, bound, gap: relative, time_ms, cpu_ms } };
}

interface InstanceOptions {
  seed: number;
  limit: number;
  gap: number;
  /** Seconds for CBC, or null to skip it. */
  cbc: number | null;
}

async function benchInstance(highs: LpSolver, glpk: Glpk, size: [number, number], o: InstanceOptions) {
  const { seed, limit, gap } = o;
  const [households, units] = size;
  const problem = householdInstance(households, units, seed);
  const model = buildHouseholdModel(problem);
  const { exact, row: highsRow } = await solveHighs(model, limit, gap);
  const cbc = o.cbc === null ? null : solveCbc(model, o.cbc);
  const glpkResult = solveGlpk(glpk, model.lp, limit);
  const [greedy, greedyMs] = timed(() => greedyMatching(problem));
  const reference = exact.objective;
  const bothOptimal = exact.optimal && glpkResult.status === 'Optimal';
  const row: SolverBenchRow = {
    households,
    units,
    groups: problem.groups.length,
    classes: model.classes.length,
    variables: model.variables.length,
    slack: instanceSlack(problem),
    lp_bound: lpBound(highs, model.lp, limit),
    highs: highsRow,
    glpk: glpkResult,
    cbc,
    objectives_equal: bothOptimal && Math.abs(exact.objective! - glpkResult.objective!) < 1e-4,
    cbc_check:
      exact.optimal && cbc?.status === 'Optimal' && cbc.objective !== null
        ? Math.abs(exact.objective! - cbc.objective) <= 1e-6 * Math.max(1, Math.abs(cbc.objective))
          ? 'equal'
          : 'MISMATCH'
        : null,
    time_ratio: bothOptimal ? glpkResult.time_ms / highsRow.time_ms : null,
    greedy: {
      objective: greedy.objective,
      unplaced: greedy.unplaced.reduce((n, u) => n + u.households, 0),
      time_ms: greedyMs,
      against: reference === null ? null : exact.optimal ? 'optimum' : 'incumbent',
      gap: reference === null ? null : (reference - greedy.objective) / Math.max(1, Math.abs(reference)),
      share_of_gain: reference === null ? null : shareOfGain(problem, greedy.objective, reference),
    },
  };
  return row;
}

function describe(row: SolverBenchRow): string {
  const f = (x: number | null) => (x === null ? 'none' : x.toFixed(3));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)} %`);
  const share = row.greedy.share_of_gain === null ? 'n/a' : `${(100 * row.greedy.share_of_gain).toFixed(1)} %`;
  const equal = row.objectives_equal ? 'equal' : 'not both proven equal';
  const { housing, barrier_free, kita, school } = row.slack;
  const h = row.highs;
  const c = row.cbc;
  const cbcLine =
    c === null
      ? '  CBC: not installed (apt-get install coinor-cbc), skipped'
      : `  CBC   ${c.status} ${f(c.objective)}, bound ${f(c.bound)}, gap ${pct(c.gap)} in ${s(c.time_ms)} ` +
        `(CPU ${c.cpu_ms === null ? 'n/a' : s(c.cpu_ms)}); its solution recomputed ${f(c.recomputed)}`;
  const check =
    row.cbc_check === 'MISMATCH'
      ? `  !!!!! OBJECTIVE MISMATCH: HiGHS ${h.objective} and CBC ${c?.objective} both claim optimality !!!!!`
      : row.cbc_check === 'equal'
        ? '  HiGHS and CBC both proved optimality: objectives equal (1e-6)'
        : '  HiGHS and CBC: not both proven optimal';
  const ratio = c !== null && c.cpu_ms !== null && h.cpu_ms > 0 ? ` CBC/HiGHS CPU time ${(c.cpu_ms / h.cpu_ms).toFixed(2)}` : '';
  return [
    `${row.households} households x ${row.units} units: ${row.groups} profile groups in ${row.classes} classes, ` +
      `${row.variables} integer variables, LP bound ${f(row.lp_bound)}`,
    `  slack (places / need): housing ${housing.toFixed(2)}, barrier-free ${barrier_free.toFixed(2)}, ` +
      `Kita ${kita.toFixed(2)}, school ${school.toFixed(2)}`,
    `  HiGHS ${h.status} ${f(h.objective)}, bound ${f(h.bound)}, gap ${pct(h.gap)} in ${s(h.time_ms)} (CPU ${s(h.cpu_ms)})`,
    cbcLine,
    check + (ratio ? `;${ratio}` : ''),
    `  GLPK  ${row.glpk.status} ${f(row.glpk.objective)} in ${s(row.glpk.time_ms)}`,
    `  objectives ${equal}; GLPK/HiGHS time ${row.time_ratio === null ? 'n/a (not both proven optimal)' : row.time_ratio.toFixed(2)}`,
    `  greedy ${f(row.greedy.objective)} in ${s(row.greedy.time_ms)} (${row.greedy.unplaced} unplaced): ` +
      `gap ${f(row.greedy.gap)} to the HiGHS ${row.greedy.against ?? 'result'}, ` +
      `${share} of its gain over the worst units`,
  ].join('\n');
}

export async function runSolverBench(options: SolverBenchOptions = {}): Promise<SolverBenchRow[]> {
  const log = options.log ?? (() => {});
  const highs = await highsLoader();
  const glpk = await GLPK();
  const rows: SolverBenchRow[] = [];
  const gap = options.mip_rel_gap ?? 0;
  const limit = options.time_limit ?? 120;
  const cbc = cbcInstalled() ? (options.cbc_time_limit ?? limit) : null;
  log(`proven optimal: HiGHS mip_rel_gap ${gap} (and its mip_abs_gap 1e-6; as the server, ${Object.entries(HOUSEHOLD_HIGHS_OPTIONS).map(([k, v]) => `${k} ${v}`).join(', ')}), GLPK mipgap 0, CBC ratio 0 allow 0; limit ${limit} s per solve`);
  log(cbc === null ? 'CBC: the `cbc` command is not installed (Debian: apt-get install coinor-cbc); its column is skipped' : `CBC: ${cbc} s (wall clock) on the same LP file`);
  try {
    // Start the worker and load HiGHS before the first timed solve.
    await solveLp('Maximize\n obj: x\nSubject To\n c: x <= 1\nEnd\n', { mip_rel_gap: 0, time_limit: 10 });
    for (const size of options.sizes ?? SIZES) {
      const row = await benchInstance(highs, glpk, size, { seed: options.seed ?? 1, limit, gap, cbc });
      rows.push(row);
      log(describe(row));
    }
  } finally {
    await stopHighs();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, 'time-limit': { type: 'string' }, gap: { type: 'string' }, sizes: { type: 'string' } },
  });
  await runSolverBench({
    seed: Number(values.seed ?? 1),
    ...(values.sizes ? { sizes: parseSizes(values.sizes) } : {}),
    time_limit: Number(values['time-limit'] ?? 120),
    mip_rel_gap: Number(values.gap ?? 0),
    log: (line) => console.log(line),
  });
}
