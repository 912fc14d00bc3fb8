// Issue 18: the resident memory of the real server (server/src/main.ts as its own process, the
// demo district) idle and while serving 100,000 offers, on the embedded backend beside
// PostgreSQL, each started as `node --import tsx server/src/main.ts` with the default malloc and
// with the malloc settings the Dockerfile sets (MALLOC). Goals on the embedded backend: idle
// ≤ 400 MiB, serving 100,000 offers ≤ 600 MiB. RSS is the sum over the server's process tree
// (VmRSS of each process in /proc), sampled every 100 ms while the offers layer (GET /api/offers,
// three times) and 400 tiles are served. What it is made of comes from the server itself
// (SIGUSR2, server/src/memory-report.ts). BENCH_MEMORY_OFFERS (default 100000; 0 skips that part)
// sets the number of generated offers.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import type { MemoryReport } from '../../server/src/memory-report.ts';
import { OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { addGeneratedOffers } from '../../tests/helpers/generated-offers.ts';
import { httpLogin, startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { embeddedDb, onEachBackend, postgresDb, row, type BenchDb } from './harness.ts';
import { tileOf } from './load.ts';

const OFFERS = Number(process.env.BENCH_MEMORY_OFFERS ?? 100_000);
const GOALS = { idle: 400, serving: 600 };
/** glibc malloc as the Dockerfile sets it (docs/operations.md, "Memory"). */
export const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
const VARIANTS: readonly { name: string; env: Record<string, string> }[] = [
  { name: 'default malloc', env: {} },
  { name: 'Dockerfile malloc', env: MALLOC },
];

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's own account of its memory (SIGUSR2 → one log line). */
async function report(server: ServerProcess): Promise<MemoryReport | null> {
  const from = server.output().length;
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const line = server.output().slice(from).split('\n').find((l) => l.includes('"memory report'));
    if (line) return (JSON.parse(line) as { memory: MemoryReport }).memory;
  }
  return null;
}

/** The breakdown in one line: V8 heaps used/held, ArrayBuffers, WebAssembly memory, the rest. */
function breakdown(m: MemoryReport | null): string {
  if (!m) return 'no memory report';
  const w = m.worker;
  return [
    `main heap ${m.main.heap_used}/${m.main.heap_total}`,
    w ? `worker heap ${w.heap_used}/${w.heap_total}` : '',
    `array buffers ${m.main.array_buffers}${w ? ` + ${w.array_buffers}` : ''}`,
    w ? `WASM memory ${w.wasm_memory} (${w.wasm_resident} resident)` : '',
    `rest ${m.rest}`,
  ].filter(Boolean).join(', ');
}

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

/** Serves the offers layer three times and 40 tiles ten times while sampling; the peak RSS in MiB. */
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

/** One server per malloc variant on the database as it is: idle, then serving. */
async function serveEach(b: BenchDb, tiles: string[], what: string, goals: { idle?: number; serving?: number }): Promise<void> {
  const goal = (v: number, g?: number) => (b.kind === 'embedded' && g ? `goal ≤ ${g} MiB: ${v <= g ? 'met' : 'NOT met'}; ` : '');
  for (const v of VARIANTS) {
    const server = await startServer({ ...b.env, ...v.env, LOG_LEVEL: 'warn' }, 600_000);
    try {
      const idle = await idleMiB(server.child.pid!);
      row(`${b.kind}, ${v.name}: idle, ${what}`, `${idle.toFixed(0)} MiB`, `${goal(idle, goals.idle)}${breakdown(await report(server))}`);
      const served = await servingPeakMiB(server, tiles);
      row(`${b.kind}, ${v.name}: serving, peak`, `${served.peak.toFixed(0)} MiB`,
        `${goal(served.peak, goals.serving)}${(served.bytes / 1e6).toFixed(1)} MB layer; after: ${breakdown(await report(server))}`);
    } finally {
      await server.stop();
    }
  }
}

async function measure(b: BenchDb): Promise<void> {
  const tiles = await tilesOf(b.db);
  // The embedded database is one process's: the bench lets go before a server opens it.
  const release = async () => b.kind === 'embedded' && (await b.db.close());
  const reopen = async () => {
    if (b.kind === 'embedded') b.db = await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
  };
  await release();
  await serveEach(b, tiles, 'demo district', { idle: GOALS.idle });
  if (OFFERS <= 0) return reopen();
  await reopen();
  await addGeneratedOffers(b.db, OFFERS);
  await release();
  try {
    await serveEach(b, tiles, `demo + ${OFFERS.toLocaleString('en')} offers`, { serving: GOALS.serving });
  } finally {
    await reopen();
  }
}

export async function benchMemory(): Promise<void> {
  console.log('\nMemory: resident set of the server process tree (MiB), the demo district, then with generated offers;');
  console.log('  breakdown (MiB) from the server (SIGUSR2): V8 heap used/held of the main and the database worker thread,');
  console.log('  their ArrayBuffers, the WebAssembly memory\'s size and resident part, and the rest (code, malloc, stacks)');
  await onEachBackend([embeddedDb, postgresDb], measure);
}
