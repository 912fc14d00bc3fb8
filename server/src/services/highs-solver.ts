import { Worker } from 'node:worker_threads';
import type { HighsSolver } from '@ilk/core';

/** What the worker reports: the legacy solve() shape the core engine reads, plus the MIP info. */
export interface HighsAnswer {
  Status: string;
  Columns: Record<string, { Primal: number }>;
  objective: number | null;
  /** Best proven bound (an upper bound when maximising); null when HiGHS proved none. */
  dual_bound: number | null;
  mip_gap: number | null;
  /** Seconds HiGHS itself ran. */
  run_time: number;
}

export interface SolveOptions {
  time_limit: number;
  mip_rel_gap: number;
  /**
   * Strong-branching observations before HiGHS trusts a variable's pseudocost (HiGHS's default
   * 8). 0 trusts them at once: household-matching.ts, docs/allocation.md ("A Kreis's year").
   */
  mip_pscost_minreliable?: number;
}

/** HiGHS could not be asked: the worker failed, or did not answer in time. */
export class HighsUnavailableError extends Error {
  override readonly name = 'HighsUnavailableError';
}

// HiGHS stops itself at time_limit; the watchdog only catches a worker that hangs or crashed
// in WebAssembly. The grace covers loading the module on first use and reading the model.
const GRACE_MS = 5_000;

interface Pending {
  resolve: (answer: HighsAnswer) => void;
  reject: (err: Error) => void;
}

// One worker, and so one loaded HiGHS module, per process; started on first use. Solves run
// one after another (HiGHS is single-threaded here), so each one's watchdog starts when the
// worker actually begins it.
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
let queue: Promise<unknown> = Promise.resolve();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function start(): Worker {
  const w = new Worker(new URL('./highs-worker.cjs', import.meta.url));
  // An idle solver must not keep the process alive.
  w.unref();
  w.on('message', (msg: { id: number; answer?: HighsAnswer; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.answer) p.resolve(msg.answer);
    else p.reject(new HighsUnavailableError(`HiGHS failed: ${msg.error ?? 'unknown error'}`));
  });
  const lost = (reason: string) => {
    if (worker === w) worker = null;
    failAll(new HighsUnavailableError(reason));
  };
  w.on('error', (err) => lost(`the HiGHS worker failed: ${err.message}`));
  w.on('exit', (code) => lost(`the HiGHS worker exited with code ${code}`));
  return w;
}

function send(lp: string, options: SolveOptions): Promise<HighsAnswer> {
  worker ??= start();
  const w = worker;
  const id = nextId++;
  return new Promise<HighsAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      if (worker === w) worker = null;
      void w.terminate();
      reject(new HighsUnavailableError(`HiGHS did not answer within ${options.time_limit} s`));
    }, options.time_limit * 1000 + GRACE_MS);
    const done = <T>(fn: (value: T) => void) => (value: T) => {
      clearTimeout(timer);
      fn(value);
    };
    pending.set(id, { resolve: done(resolve), reject: done(reject) });
    w.postMessage({ id, lp, options });
  });
}

/** Solves an LP-format model in the worker; rejects with HighsUnavailableError. */
export function solveLp(lp: string, options: SolveOptions): Promise<HighsAnswer> {
  const run = queue.then(() => send(lp, options));
  queue = run.catch(() => {});
  return run;
}

/**
 * A HighsSolver for the core engine that returns an answer already computed in the worker:
 * solveHouseholdModel then reads it exactly as it would read a direct highs.solve().
 */
export function replay(answer: HighsAnswer): HighsSolver {
  return { solve: () => ({ Status: answer.Status, Columns: answer.Columns }) };
}

/** Ends the worker (at app close); the next solve starts a new one. */
export async function stopHighs(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
