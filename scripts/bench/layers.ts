// Issue 3: the offers layer end to end over HTTP divided by the raw SQL that builds the same
// GeoJSON (goal ≤ 1.3), with 10,000 and 100,000 generated offers on both backends, and the
// server's peak memory while serving the largest layer. Issue 17: a 1,000-feature OGC items page
// over its SQL floor (goal ≤ 1.5) and its bytes before and after compact JSON; a tile's HTTP time
// beyond its raw query over the fixed cost of an authenticated request (goal ≤ 1; side by side and
// paired with the statement's own time from Server-Timing, see requestCosts), and that fixed
// cost over a `SELECT 1` round trip (goal ≤ 3), beside the floor of any HTTP request (a bare
// Fastify route) and with the session cache on and off. BENCH_LAYER_SIZES (default
// 10000,100000) picks the numbers of offers, BENCH_LAYER_BACKENDS one backend.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Database } from '../../server/src/db/index.ts';
import { OFFER_FEATURE, OFFER_FROM, type OfferFilter } from '../../server/src/repositories/offer-layer.repository.ts';
import { offerItems, OGC_OFFER_MEMBERS } from '../../server/src/repositories/ogc.repository.ts';
import type { Member } from '../../server/src/repositories/json-sql.ts';
import { OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { hasAsMvt, offerTile, type TileAddress } from '../../server/src/repositories/tiles.repository.ts';
import { startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { copyDir, embeddedDb, ms, onEachBackend, postgresDb, ratio, ROOT, row, sideBySide, type BenchDb } from './harness.ts';
import { openDatabase } from '../../server/src/db/index.ts';
import { SESSION_CACHE_DEFAULT_SECONDS } from '../../server/src/plugins/auth.ts';
import { offerFilter } from '../../server/src/services/offer-filter.ts';
import { serverTimingDuration } from '../../server/src/services/server-timing.ts';
import { join } from 'node:path';

const RAW_LAYER = `
  SELECT '{"type":"FeatureCollection","features":[' || coalesce(string_agg(${OFFER_FEATURE}, ',' ORDER BY o.id), '') || ']}' AS body
    FROM ${OFFER_FROM}`;

// The OGC page before compact JSON: the same members through json_build_object, which writes
// "name" : value, "next" : … (kept here only to print the bytes saved and the time it took).
const legacyFeature = (members: readonly Member[]) => `json_build_object('type', 'Feature', 'id', o.id, 'geometry', ST_AsGeoJSON(o.geom, 6)::json,
  'properties', json_build_object(${members.map(([k, sql]) => `'${k}', ${sql}`).join(', ')}))::text`;
const LEGACY_OGC_PAGE = `
  SELECT string_agg(${legacyFeature(OGC_OFFER_MEMBERS)}, ',' ORDER BY o.id) AS f
    FROM ${OFFER_FROM} WHERE o.id IN (SELECT o.id FROM ${OFFER_FROM} ORDER BY o.id LIMIT $1 OFFSET $2)`;
const NO_FILTER: OfferFilter = { categories: null, subcategory: null, bbox: null, q: null, regionPrefix: null, withFreePlaces: false, districts: null };

const SIZES = (process.env.BENCH_LAYER_SIZES ?? '10000,100000').split(',').map(Number);
// BENCH_LAYER_BACKENDS=postgres (or embedded) runs one backend only.
const BACKENDS = [embeddedDb, postgresDb].filter((_, i) => !process.env.BENCH_LAYER_BACKENDS || process.env.BENCH_LAYER_BACKENDS === ['embedded', 'postgres'][i]);

/** Replaces the demo offers by n generated ones spread over the district's Gemeinden. */
export async function generateOffers(db: Database, n: number): Promise<void> {
  await db.exec('DELETE FROM offers');
  // Random points inside random inhabited Gemeinden: ST_GeneratePoints keeps them on land.
  await db.query(`
    INSERT INTO offers (category_key, name, languages, places_total, places_free, geom)
    SELECT (ARRAY['sprache','arbeit','wohnen','betreuung_bildung','gesundheit','beratung','einbuergerung','ehrenamt_freizeit'])[1 + i % 8],
           'Angebot ' || i, '{de,ar}', 20, i % 7,
           (SELECT (ST_Dump(ST_GeneratePoints(g.geom, 1, i))).geom FROM regions g
             WHERE g.level = 'gemeinde' AND g.population > 0 ORDER BY g.ars OFFSET (i % 90) LIMIT 1)
      FROM generate_series(1, $1) i`, [n]);
}

/** The tile over the district's largest Gemeinde at zoom z: the densest tile of the layer. */
async function busyTile(db: Database, z: number): Promise<TileAddress> {
  const { rows } = await db.query<{ lon: number; lat: number }>(
    "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' ORDER BY population DESC LIMIT 1");
  const { lon, lat } = rows[0]!;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * 2 ** z), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z) };
}

/** Peak resident memory of a process (Linux), in MiB. */
function peakMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function analystCookie(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'analyst@demo.local', password: 'demo' }) });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** The bare servers of floor-server.ts in a process of their own; `stop` ends it. */
async function floorServers(): Promise<{ node: string; fastify: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/floor-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  return { ...(JSON.parse(line!) as { node: string; fastify: string }), stop: () => child.kill() };
}

/** What any HTTP request costs before the app does anything: the same fetch against bare servers. */
async function floor(raw: Database, label: string): Promise<void> {
  const servers = await floorServers();
  try {
    for (const [what, url] of [['node:http server', servers.node], ['Fastify route', servers.fastify]] as const) {
      const f = await sideBySide(100, () => raw.query('SELECT 1'), async () => (await fetch(url)).arrayBuffer());
      row(`${label}: floor, GET of a bare ${what}`, ms(f.b), `SELECT 1 alone: ${ms(f.a)}; floor / SELECT 1 ${ratio(f.ratio)} (100 pairs)`);
    }
  } finally {
    servers.stop();
  }
}

/**
 * The fixed cost of an authenticated request, and what a tile costs over HTTP beyond its raw
 * query, which is the route's own statement: the same filter (offerFilter of an empty query)
 * and encoder choice, so the same SQL and parameters. Measured two ways:
 * - side by side: the median of 30 tiles over HTTP minus the median of 30 raw queries run by
 *   this process on its own connection. Two medians of 3-50 ms statements whose spread is
 *   larger than the 1 ms being measured: this figure swings from run to run.
 * - paired: each tile over HTTP minus its own statement as the server timed it (Server-Timing
 *   `db`), the median over 100 tiles, each right after a GET /api/auth/me whose median is the
 *   fixed cost of the same stretch of time. The statement's own spread then drops out.
 * Beside them, what the tile's bytes alone add on a bare Fastify route (floor-server.ts).
 */
async function requestCosts(raw: Database, server: ServerProcess, cookie: string, tiles: readonly TileAddress[], label: string): Promise<void> {
  // What every authenticated request costs however small its answer: HTTP, routing, the
  // session lookup. It is the floor under each tile's HTTP time below.
  const meUrl = `${server.url}/api/auth/me`;
  const me = await sideBySide(100, () => raw.query('SELECT 1'), async () => (await fetch(meUrl, { headers: { cookie } })).arrayBuffer());
  row(`${label}: fixed cost of a request (GET /api/auth/me)`, ms(me.b), `SELECT 1 alone: ${ms(me.a)}; median of 100 pairs`);
  row(`${label}: fixed cost / SELECT 1 round trip`, ratio(me.ratio), 'goal ≤ 3');
  const asMvt = await hasAsMvt(raw);
  const filter = await offerFilter(raw, {}, null);
  const bare = await floorServers();
  try {
    for (const tile of tiles) {
      const tileUrl = `${server.url}/tiles/offers/${tile.z}/${tile.x}/${tile.y}.pbf`;
      let tileBytes = 0;
      const getTile = async () => {
        const res = await fetch(tileUrl, { headers: { cookie, 'accept-encoding': 'identity' } });
        tileBytes = (await res.arrayBuffer()).byteLength;
        return serverTimingDuration(res.headers.get('server-timing'), 'db');
      };
      const t = await sideBySide(30, () => offerTile(raw, tile, { filter, useAsMvt: asMvt }), getTile);
      const what = tile.z <= OFFER_CLUSTER_MAX_ZOOM ? 'clusters' : 'single offers';
      row(`${label}: tile ${tile.z}/${tile.x}/${tile.y} raw ${asMvt ? 'ST_AsMVT' : 'query + encoder'}`, ms(t.a), `${what}, ${(tileBytes / 1024).toFixed(1)} KiB`);
      row(`${label}: tile ${tile.z} over HTTP`, ms(t.b), `${ms(t.b - t.a)} more than raw; HTTP / raw ${ratio(t.ratio)}`);
      row(`${label}: tile ${tile.z} side by side: (HTTP − raw) / fixed cost`, ratio((t.b - t.a) / me.b), 'medians of 30 and 100 pairs');
      const extra: number[] = [];
      const fixed: number[] = [];
      const statement: number[] = [];
      for (let i = 0; i < 100; i++) {
        let start = performance.now();
        await (await fetch(meUrl, { headers: { cookie } })).arrayBuffer();
        fixed.push(performance.now() - start);
        start = performance.now();
        const db = await getTile();
        const http = performance.now() - start;
        if (db === null) throw new Error(`${tileUrl} sent no Server-Timing db metric`);
        statement.push(db);
        extra.push(http - db);
      }
      row(`${label}: tile ${tile.z} paired: HTTP − its own statement`, ms(mid(extra)), `statement ${ms(mid(statement))} in the server; fixed cost meanwhile ${ms(mid(fixed))} (100 pairs)`);
      row(`${label}: tile ${tile.z} paired: (HTTP − statement) / fixed cost`, ratio(mid(extra) / mid(fixed)), 'goal ≤ 1');
      const bytes = await sideBySide(100, async () => (await fetch(bare.fastify)).arrayBuffer(), async () => (await fetch(`${bare.fastify}bytes/${tileBytes}`)).arrayBuffer());
      row(`${label}: tile ${tile.z}'s ${(tileBytes / 1024).toFixed(1)} KiB from a bare Fastify route`, ms(bytes.b - bytes.a), `more than its {} (${ms(bytes.a)}); medians of 100 pairs`);
    }
  } finally {
    bare.stop();
  }
}

const mid = (v: readonly number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;

async function measure(b: BenchDb, n: number, reopen: () => Promise<Database>): Promise<void> {
  await generateOffers(b.db, n);
  // The last zoom of clusters and the first of single offers (OFFER_CLUSTER_MAX_ZOOM).
  const tiles = [await busyTile(b.db, OFFER_CLUSTER_MAX_ZOOM), await busyTile(b.db, OFFER_CLUSTER_MAX_ZOOM + 1)];
  // Raw queries and HTTP requests alternate (sideBySide). PGlite allows one process per data
  // directory, so on the embedded backend the raw queries run on a copy of the server's.
  let raw = b.db;
  const rawDir = join(b.env.DATA_DIR ?? '', 'raw');
  if (b.kind === 'embedded') {
    await b.db.close();
    await copyDir(join(b.env.DATA_DIR!, 'pglite'), rawDir);
    raw = await openDatabase({ pgliteDir: rawDir });
  }
  const label = `${b.kind} ${n.toLocaleString('en')} offers`;
  // The session cache's default (plugins/auth.ts); the other setting runs second.
  const cacheDefault = SESSION_CACHE_DEFAULT_SECONDS;
  const cacheOther = cacheDefault > 0 ? 0 : 5;
  row(`${label}: SESSION_CACHE_SECONDS`, `${cacheDefault} s`, `the default here; then ${cacheOther} s for the same requests`);
  try {
    const server = await startServer({ ...b.env, LOG_LEVEL: 'warn' }, 180_000);
    try {
      const cookie = await analystCookie(server);
      const before = peakMiB(server.child.pid!);
      let bytes = 0;
      // 10,000 offers take a fifth of a second: more pairs there, as cheap as 5 of 100,000.
      const pairs = n > 50_000 ? 5 : 9;
      const layer = await sideBySide(pairs, () => raw.query(RAW_LAYER), async () => {
        const res = await fetch(`${server.url}/api/offers`, { headers: { cookie, 'accept-encoding': 'identity' } });
        bytes = (await res.arrayBuffer()).byteLength;
      });
      await floor(raw, label);
      await requestCosts(raw, server, cookie, tiles, `${label}, cache ${cacheDefault} s`);
      row(`${label}: peak server memory (before → after)`, `${before.toFixed(0)} → ${peakMiB(server.child.pid!).toFixed(0)} MiB`, `${(bytes / 1e6).toFixed(1)} MB layer`);
      row(`${label}: raw SQL building the GeoJSON`, ms(layer.a));
      row(`${label}: GET /api/offers over HTTP`, ms(layer.b));
      row(`${label}: HTTP / SQL`, ratio(layer.ratio), `goal ≤ 1.3 (median of ${pairs} alternating pairs)`);
      await ogcPage(raw, server, cookie, n, label);
    } finally {
      await server.stop();
    }
    // The other setting of SESSION_CACHE_SECONDS on the same data: what the cache takes off.
    const other = await startServer({ ...b.env, LOG_LEVEL: 'warn', SESSION_CACHE_SECONDS: String(cacheOther) }, 180_000);
    try {
      await requestCosts(raw, other, await analystCookie(other), tiles, `${label}, cache ${cacheOther} s`);
    } finally {
      await other.stop();
    }
  } finally {
    if (b.kind === 'embedded') {
      await raw.close();
      await rm(rawDir, { recursive: true, force: true });
      b.db = await reopen();
    }
  }
}

/** A 1,000-feature OGC items page from the middle of the offers over HTTP and as raw SQL. */
async function ogcPage(raw: Database, server: ServerProcess, cookie: string, n: number, label: string): Promise<void> {
  const paging = { limit: 1000, offset: Math.floor(n / 2) };
  let bytes = 0;
  const url = `${server.url}/ogc/collections/offers/items?limit=${paging.limit}&offset=${paging.offset}`;
  const p = await sideBySide(15, () => offerItems(raw, NO_FILTER, paging), async () => {
    bytes = (await (await fetch(url, { headers: { cookie, 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength;
  });
  const compact = Buffer.byteLength((await offerItems(raw, NO_FILTER, paging)).features);
  let legacy = 0;
  const sql = await sideBySide(7, () => offerItems(raw, NO_FILTER, paging), async () => {
    legacy = Buffer.byteLength((await raw.query<{ f: string }>(LEGACY_OGC_PAGE, [paging.limit, paging.offset])).rows[0]!.f);
  });
  row(`${label}: OGC items page of 1,000, raw SQL`, ms(p.a), `count + page; the page's features alone through json_build_object (before): ${ms(sql.b)}`);
  row(`${label}: OGC items page over HTTP`, ms(p.b), `${(bytes / 1024).toFixed(0)} KiB`);
  row(`${label}: OGC page HTTP / SQL floor`, ratio(p.ratio), 'goal ≤ 1.5 (median of 15 alternating pairs)');
  row(`${label}: OGC page features, bytes before → after`, `${(legacy / 1024).toFixed(0)} → ${(compact / 1024).toFixed(0)} KiB`, `${((1 - compact / legacy) * 100).toFixed(1)} % fewer`);
}

export async function benchLayers(): Promise<void> {
  console.log('\nOffers layer: HTTP end to end vs the raw SQL that builds the same GeoJSON');
  await onEachBackend(BACKENDS, async (b) => {
    const reopen = () => openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
    for (const n of SIZES) await measure(b, n, reopen);
  });
}
