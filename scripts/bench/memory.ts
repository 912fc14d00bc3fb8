// Issue 18: the resident memory of the real server (server/src/main.ts as its own process, the
// demo district) idle and while serving 100,000 offers, on the embedded backend beside
// PostgreSQL. Goals on the embedded backend: idle ≤ 400 MiB, serving 100,000 offers ≤ 600 MiB.
// RSS is the sum over the server's process tree (VmRSS of each process in /proc), sampled every
// 100 ms while the offers layer (GET /api/offers, three times) and a burst of tiles are served.
// BENCH_MEMORY_OFFERS (default 100000) sets the number of generated offers.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import { OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { addGeneratedOffers } from '../../tests/helpers/generated-offers.ts';
import { httpLogin, startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { embeddedDb, onEachBackend, postgresDb, row, type BenchDb } from './harness.ts';
import { tileOf } from './load.ts';

const OFFERS = Number(process.env.BENCH_MEMORY_OFFERS ?? 100_000);
const GOALS = { idle: 400, serving: 600 };

/** The process and its descendants (Linux /proc). */
function tree(pid: number): number[] {
  const out = [pid];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.split(' ').filter(Boolean)) out.push(...tree(Number(c)));
  }
  return out;
}

/** Resident memory of the process tree, in MiB. */
function treeRssMiB(pid: number): number {
  let kb = 0;
  for (const p of tree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

/** Where an anonymous mapping's memory goes: the largest shares of smaps_rollup. */
function rollup(pid: number): string {
  const s = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0) / 1024;
  return `anonymous ${kb('Anonymous').toFixed(0)} MiB, file-backed ${(kb('Rss') - kb('Anonymous')).toFixed(0)} MiB`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS once it has settled: the mean of five samples a second apart, after `settle` ms. */
async function idleMiB(pid: number, settle = 5000): Promise<number> {
  await sleep(settle);
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    xs.push(treeRssMiB(pid));
    await sleep(1000);
  }
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Serves the offers layer three times and 40 tiles while sampling; the peak RSS in MiB. */
async function servingPeakMiB(server: ServerProcess, tiles: string[]): Promise<{ peak: number; bytes: number }> {
  const headers = await httpLogin(server.url, 'analyst');
  let peak = treeRssMiB(server.child.pid!);
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMiB(server.child.pid!))), 100);
  let bytes = 0;
  try {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/api/offers`, { headers: { cookie: headers.cookie!, 'accept-encoding': 'identity' } });
      if (res.status !== 200) throw new Error(`GET /api/offers: ${res.status}`);
      bytes = (await res.arrayBuffer()).byteLength;
    }
    for (let i = 0; i < 10; i++) {
      await Promise.all(tiles.map(async (t) => (await fetch(`${server.url}${t}`, { headers: { cookie: headers.cookie! } })).arrayBuffer()));
    }
  } finally {
    clearInterval(timer);
  }
  return { peak: Math.max(peak, treeRssMiB(server.child.pid!)), bytes };
}

async function tilesOf(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ lon: number; lat: number }>(
    "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' ORDER BY population DESC LIMIT 2");
  return rows.flatMap(({ lon, lat }) => [OFFER_CLUSTER_MAX_ZOOM, OFFER_CLUSTER_MAX_ZOOM + 1].map((z) => {
    const [x, y] = tileOf(lon, lat, z);
    return `/tiles/offers/${z}/${x}/${y}.pbf`;
  }));
}

async function measure(b: BenchDb): Promise<void> {
  const start = () => startServer({ ...b.env, LOG_LEVEL: 'warn' }, 300_000);
  const tiles = await tilesOf(b.db);
  const goal = (v: number, g: number) => (b.kind === 'embedded' ? `goal ≤ ${g} MiB: ${v <= g ? 'met' : 'NOT met'}` : '');
  // The embedded database is one process's: the bench lets go before the server opens it.
  if (b.kind === 'embedded') await b.db.close();
  let server = await start();
  try {
    const idle = await idleMiB(server.child.pid!);
    row(`${b.kind} server idle with the demo`, `${idle.toFixed(0)} MiB`, `${goal(idle, GOALS.idle)} (${rollup(server.child.pid!)})`);
    const demo = await servingPeakMiB(server, tiles);
    row(`${b.kind} serving the demo's offers layer and tiles (peak)`, `${demo.peak.toFixed(0)} MiB`, `${(demo.bytes / 1e6).toFixed(2)} MB layer`);
  } finally {
    await server.stop();
  }
  const db = b.kind === 'embedded' ? await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') }) : b.db;
  await addGeneratedOffers(db, OFFERS);
  if (b.kind === 'embedded') await db.close();
  server = await start();
  try {
    const idle = await idleMiB(server.child.pid!);
    row(`${b.kind} server idle, ${OFFERS.toLocaleString('en')} more offers`, `${idle.toFixed(0)} MiB`);
    const served = await servingPeakMiB(server, tiles);
    const after = await idleMiB(server.child.pid!, 3000);
    row(`${b.kind} serving ${OFFERS.toLocaleString('en')} offers (peak)`, `${served.peak.toFixed(0)} MiB`,
      `${goal(served.peak, GOALS.serving)}; ${(served.bytes / 1e6).toFixed(1)} MB layer; ${after.toFixed(0)} MiB 3 s after`);
  } finally {
    await server.stop();
    if (b.kind === 'embedded') b.db = await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
  }
}

export async function benchMemory(): Promise<void> {
  console.log('\nMemory: resident set of the server process tree (MiB), the demo district, then with generated offers');
  await onEachBackend([embeddedDb, postgresDb], measure);
}
