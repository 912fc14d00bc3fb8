// Shared helpers of the benchmarks: databases to compare side by side, timing, printing.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../server/src/seed/demo.ts';
import { ensureInitialAccounts } from '../../server/src/seed/accounts.ts';
import { loadConfig } from '../../server/src/config.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const silent = { info() {}, warn() {}, error() {} } as never;

/** PostgreSQL for the side-by-side numbers: BENCH_DATABASE_URL, or the local server CI uses. */
export const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans, JIT, caches
  const t: number[] = [];
  for (let i = 0; i < times; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

/**
 * Times `a` and `b` alternately, `times` rounds after one warm-up each, so both see the same
 * machine: load from elsewhere drifts over minutes and would otherwise land on one side only.
 * Returns each side's median and the median of the per-round ratios b / a.
 */
export async function sideBySide(times: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: number; b: number; ratio: number }> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < times; i++) {
    let s = performance.now();
    await a();
    ta.push(performance.now() - s);
    s = performance.now();
    await b();
    tb.push(performance.now() - s);
    r.push(tb[i]! / ta[i]!);
  }
  const mid = (v: number[]) => v.sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  return { a: mid(ta), b: mid(tb), ratio: mid(r) };
}

export interface BenchDb {
  db: Database;
  kind: 'embedded' | 'postgres';
  /** The server's environment for this database. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh, migrated, seeded embedded database in a temporary DATA_DIR. */
export async function embeddedDb(): Promise<BenchDb> {
  const dir = await mkdtemp(join(tmpdir(), 'ilk-bench-'));
  const db = await openDatabase({ pgliteDir: join(dir, 'pglite') });
  await migrate(db, join(ROOT, 'migrations'));
  await seedDemoIfEmpty(db, join(ROOT, 'data', 'demo'));
  await ensureInitialAccounts(db, loadConfig({}), silent);
  // dispose closes b.db as it is then: a benchmark that hands the directory to a server closes
  // and reopens it (layers, client), and the reopened database's worker would keep the process alive.
  const b: BenchDb = { db, kind: 'embedded', env: { DATA_DIR: dir }, dispose: async () => { await b.db.close(); await rm(dir, { recursive: true, force: true }); } };
  return b;
}

/**
 * An empty database `name` on the PostgreSQL server (dropped and created), or null when none
 * answers; `dispose` drops it. Benchmarks generate more data than the app's statement timeout
 * allows for, so statements may run for 10 minutes.
 */
export async function emptyPostgres(name: string): Promise<{ db: Database; url: string; dispose(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openDatabase({ databaseUrl: url, pgliteDir: '', statementTimeoutMs: 600_000 });
  return {
    db, url,
    dispose: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * A fresh, migrated, seeded database on the PostgreSQL server, or null when none answers; a
 * benchmark that compares two databases side by side names the second.
 */
export async function postgresDb(name = `ilk_bench_${process.pid}`): Promise<BenchDb | null> {
  const fresh = await emptyPostgres(name);
  if (!fresh) return null;
  const { db, url, dispose } = fresh;
  await migrate(db, join(ROOT, 'migrations'));
  await seedDemoIfEmpty(db, join(ROOT, 'data', 'demo'));
  await ensureInitialAccounts(db, loadConfig({}), silent);
  return { db, kind: 'postgres', env: { DATABASE_URL: url }, dispose };
}

/**
 * Runs `fn` on each backend side by side: a fresh database from each maker in turn (embedded
 * first), disposed afterwards; a maker that finds no PostgreSQL server is reported as skipped.
 */
export async function onEachBackend<T extends { dispose(): Promise<void> }>(
  makers: readonly (() => Promise<T | null>)[],
  fn: (b: T) => Promise<void>,
): Promise<void> {
  for (const make of makers) {
    const b = await make();
    if (!b) {
      row('postgres', 'skipped', 'no server at BENCH_DATABASE_URL');
      continue;
    }
    try {
      await fn(b);
    } finally {
      await b.dispose();
    }
  }
}

/** Copies an embedded database directory (the app must not hold it). */
export async function copyDir(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}

export function row(label: string, value: string, note = ''): void {
  console.log(`  ${label.padEnd(58)} ${value.padStart(14)}  ${note}`);
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const ratio = (v: number) => v.toFixed(3);
