// Issue 18: the resident memory of the real server (its own process, the demo district) idle and
// while serving 100,000 offers, on the embedded backend beside PostgreSQL. Goals on the embedded
// backend: idle ≤ 400 MiB, serving 100,000 offers ≤ 600 MiB. The variants (how node is started,
// which malloc, V8's heap growth) run at once, each on its own copy of the data, and are served
// in turn, so their layer and tile times are taken side by side. RSS is the sum over the
// server's process tree (VmRSS of each process in /proc), sampled every 100 ms while the offers
// layer (GET /api/offers) and tiles are served. What it is made of comes from the
// server itself (SIGUSR2, server/src/memory-report.ts). BENCH_MEMORY_OFFERS (default 100000; 0
// skips that part) sets the number of generated offers, BENCH_MEMORY_BACKENDS one backend.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import type { MemoryReport } from '../../server/src/memory-report.ts';
import { OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { addGeneratedOffers } from '../../tests/helpers/generated-offers.ts';
import { httpLogin, SERVER_COMMANDS, startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { buildServer } from '../build-server.ts';
import { copyDir, embeddedDb, ms, onEachBackend, postgresDb, ratio, row, type BenchDb } from './harness.ts';
import { tileOf } from './load.ts';

const OFFERS = Number(process.env.BENCH_MEMORY_OFFERS ?? 100_000);
const BACKENDS = [embeddedDb, postgresDb].filter((_, i) => !process.env.BENCH_MEMORY_BACKENDS || process.env.BENCH_MEMORY_BACKENDS === ['embedded', 'postgres'][i]);
const GOALS = { idle: 400, serving: 600 };
/** glibc malloc as the Dockerfile set it before jemalloc (docs/operations.md, "Memory"). */
export const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
/** jemalloc as the Dockerfile sets it, where Debian's libjemalloc2 is installed. */
const JEMALLOC_LIB = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'].find((f) => existsSync(f));
const JEMALLOC = { LD_PRELOAD: JEMALLOC_LIB ?? '', MALLOC_CONF: 'background_thread:true,narenas:2' };
const BUNDLE = SERVER_COMMANDS.built.filter((a) => !a.startsWith('--'));
const VARIANTS: readonly { name: string; command: readonly string[]; env: Record<string, string> }[] = [
  { name: 'before: tsx, glibc tuned', command: SERVER_COMMANDS.source, env: MALLOC },
  { name: 'bundle, glibc tuned', command: BUNDLE, env: MALLOC },
  ...(JEMALLOC_LIB ? [
    { name: 'bundle, jemalloc', command: BUNDLE, env: JEMALLOC },
    // As the Dockerfile runs it (with --heap-growing-percent=20).
    { name: 'Dockerfile', command: SERVER_COMMANDS.built, env: JEMALLOC },
  ] : []),
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
async function idleMiB(pid: number, settle: number): Promise<number> {
  await sleep(settle);
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    xs.push(treeRssMiB(pid));
    await sleep(1000);
  }
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const LAYER_ROUNDS = 7;
const TILE_ROUNDS = 30;

interface Served { peak: number; bytes: number; layerMs: number; tilesMs: number; layerRatio: number; tilesRatio: number }

/**
 * Serves the offers layer and a round of tiles from each server in turn, starting each round at
 * the next server, while sampling every server's RSS. Per server: the peak in MiB, the median
 * times of a layer and of a round of tiles, and the medians of the rounds' ratios to the first
 * server's times (the variants side by side, as harness.ts's sideBySide).
 */
async function servingPeaks(servers: ServerProcess[], tiles: string[]): Promise<Served[]> {
  const cookies = await Promise.all(servers.map(async (s) => (await httpLogin(s.url, 'analyst')).cookie!));
  const out = servers.map((s) => ({ peak: treeRssMiB(s.child.pid!), bytes: 0, layer: [] as number[], tiles: [] as number[] }));
  const sample = () => servers.forEach((s, i) => (out[i]!.peak = Math.max(out[i]!.peak, treeRssMiB(s.child.pid!))));
  const inTurn = async (rounds: number, serve: (i: number) => Promise<unknown>, times: (i: number) => number[]) => {
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < servers.length; k++) {
        const i = (round + k) % servers.length;
        const t = performance.now();
        await serve(i);
        times(i).push(performance.now() - t);
      }
    }
  };
  const timer = setInterval(sample, 100);
  try {
    await inTurn(LAYER_ROUNDS, async (i) => {
      const res = await fetch(`${servers[i]!.url}/api/offers`, { headers: { cookie: cookies[i]!, 'accept-encoding': 'identity' } });
      if (res.status !== 200) throw new Error(`GET /api/offers: ${res.status}`);
      out[i]!.bytes = (await res.arrayBuffer()).byteLength;
    }, (i) => out[i]!.layer);
    await inTurn(TILE_ROUNDS, (i) => Promise.all(tiles.map(async (u) => (await fetch(`${servers[i]!.url}${u}`, { headers: { cookie: cookies[i]! } })).arrayBuffer())), (i) => out[i]!.tiles);
  } finally {
    clearInterval(timer);
  }
  sample();
  const ratios = (xs: number[], base: number[]) => median(xs.map((x, r) => x / base[r]!));
  return out.map((o) => ({
    peak: o.peak, bytes: o.bytes, layerMs: median(o.layer), tilesMs: median(o.tiles),
    layerRatio: ratios(o.layer, out[0]!.layer), tilesRatio: ratios(o.tiles, out[0]!.tiles),
  }));
}

async function tilesOf(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ lon: number; lat: number }>(
    "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' ORDER BY population DESC LIMIT 2");
  return rows.flatMap(({ lon, lat }) => [OFFER_CLUSTER_MAX_ZOOM, OFFER_CLUSTER_MAX_ZOOM + 1].map((z) => {
    const [x, y] = tileOf(lon, lat, z);
    return `/tiles/offers/${z}/${x}/${y}.pbf`;
  }));
}

/** Every variant's server at once, each on its own copy of the data (PGlite: one process per
 *  directory); idle, then serving in turn. `dir` is the embedded database's directory. */
async function serveEach(b: BenchDb, dir: string | null, tiles: string[], what: string, goals: { idle?: number; serving?: number }): Promise<void> {
  const goal = (v: number, g?: number) => (b.kind === 'embedded' && g ? `goal ≤ ${g} MiB: ${v <= g ? 'met' : 'NOT met'}; ` : '');
  const servers: ServerProcess[] = [];
  const copies: string[] = [];
  try {
    for (const [i, v] of VARIANTS.entries()) {
      let env = b.env;
      if (dir) {
        const copy = join(b.env.DATA_DIR!, `variant-${i}`);
        await copyDir(dir, join(copy, 'pglite'));
        copies.push(copy);
        env = { ...env, DATA_DIR: copy };
      }
      servers.push(await startServer({ ...env, ...v.env, LOG_LEVEL: 'warn' }, 600_000, v.command));
    }
    // Sampled at once, 5 s after the last start, as the old single-server bench did.
    const idle = await Promise.all(servers.map((s) => idleMiB(s.child.pid!, 5000)));
    for (const [i, v] of VARIANTS.entries()) {
      row(`${b.kind}, ${v.name}: idle, ${what}`, `${idle[i]!.toFixed(0)} MiB`, `${goal(idle[i]!, goals.idle)}${breakdown(await report(servers[i]!))}`);
    }
    const served = await servingPeaks(servers, tiles);
    for (const [i, v] of VARIANTS.entries()) {
      const { peak, layerMs, tilesMs, bytes, layerRatio, tilesRatio } = served[i]!;
      row(`${b.kind}, ${v.name}: serving, peak`, `${peak.toFixed(0)} MiB`,
        `${goal(peak, goals.serving)}${(bytes / 1e6).toFixed(1)} MB layer; after: ${breakdown(await report(servers[i]!))}`);
      row(`${b.kind}, ${v.name}: time of a layer, of the tiles`, `${ms(layerMs)}, ${ms(tilesMs)}`,
        i ? `/ ${VARIANTS[0]!.name}: layer ${ratio(layerRatio)}, tiles ${ratio(tilesRatio)} (medians of ${LAYER_ROUNDS} and ${TILE_ROUNDS} rounds)` : `${tiles.length} tiles at once`);
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const c of copies) await rm(c, { recursive: true, force: true });
  }
}

async function measure(b: BenchDb): Promise<void> {
  const tiles = await tilesOf(b.db);
  // The embedded database is one process's: the bench lets go before the servers open copies.
  const dir = b.kind === 'embedded' ? join(b.env.DATA_DIR!, 'pglite') : null;
  const release = async () => b.kind === 'embedded' && (await b.db.close());
  const reopen = async () => {
    if (dir) b.db = await openDatabase({ pgliteDir: dir });
  };
  await release();
  await serveEach(b, dir, tiles, 'demo district', { idle: GOALS.idle });
  if (OFFERS <= 0) return reopen();
  await reopen();
  await addGeneratedOffers(b.db, OFFERS);
  await release();
  try {
    await serveEach(b, dir, tiles, `demo + ${OFFERS.toLocaleString('en')} offers`, { serving: GOALS.serving });
  } finally {
    await reopen();
  }
}

export async function benchMemory(): Promise<void> {
  console.log('\nMemory: resident set of the server process tree (MiB), the demo district, then with generated offers;');
  console.log('  breakdown (MiB) from the server (SIGUSR2): V8 heap used/held of the main and the database worker thread,');
  console.log('  their ArrayBuffers, the WebAssembly memory\'s size and resident part, and the rest (code, malloc, stacks)');
  if (!JEMALLOC_LIB) row('jemalloc variants', 'skipped', 'libjemalloc.so.2 not found (apt-get install libjemalloc2)');
  await buildServer();
  await onEachBackend(BACKENDS, measure);
}
