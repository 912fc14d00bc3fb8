// Issue "Reliability and security": sustained load on a real server process, on each backend.
// The read endpoints and a mix of writes run side by side for LOAD_SECONDS (default 60), each
// under its own autocannon instance, so throughput and latency are reported per endpoint.
// The server's resident memory is sampled each second: it must not grow under steady load.
// Loopback only; the client runs on the same machine and competes for its cores.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { embeddedDb, onEachBackend, postgresDb, row, type BenchDb } from './harness.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 4);

interface Target {
  label: string;
  requests: autocannon.Request[];
  connections: number;
}

/** The Web Mercator tile of zoom z that holds the point. */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)];
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Where the load goes: the busiest Gemeinde (its tile has offers) and a region for new needs. */
async function place(b: BenchDb): Promise<{ lon: number; lat: number; ars: string }> {
  const { rows } = await b.db.query<{ lon: number; lat: number; ars: string }>(
    "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat, ars FROM regions WHERE level = 'gemeinde' ORDER BY population DESC NULLS LAST LIMIT 1");
  return rows[0]!;
}

/** A session (cookie and CSRF token) for the writes, and an API token for the reads. */
async function credentials(url: string): Promise<{ session: Record<string, string>; bearer: Record<string, string> }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'coordinator@demo.local', password: 'demo' }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const session = { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': ((await res.json()) as { csrf_token: string }).csrf_token, 'content-type': 'application/json' };
  const created = await fetch(`${url}/api/auth/tokens`, { method: 'POST', headers: session, body: JSON.stringify({ name: 'load test' }) });
  if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${await created.text()}`);
  return { session, bearer: { authorization: `Bearer ${((await created.json()) as { token: string }).token}` } };
}

function targets(where: { lon: number; lat: number; ars: string }, c: Awaited<ReturnType<typeof credentials>>): Target[] {
  const [x, y] = tileOf(where.lon, where.lat, 12);
  const read = (path: string): Target => ({ label: `GET ${path}`, requests: [{ method: 'GET', path, headers: c.bearer }], connections: CONNECTIONS });
  const need = { region_ars: where.ars, region_level: 'gemeinde', kind: 'information', title: 'Lasttest' };
  type Ctx = { id?: number; etag?: string };
  const write: Target = {
    label: 'POST /api/needs + PUT /api/needs/:id',
    connections: Math.max(1, CONNECTIONS / 2),
    requests: [
      {
        method: 'POST', path: '/api/needs', headers: c.session, body: JSON.stringify(need),
        onResponse: (status, body, context, headers) => {
          const ctx = context as Ctx;
          if (status !== 201) return;
          ctx.id = (JSON.parse(body) as { id: number }).id;
          ctx.etag = String(headers?.etag ?? headers?.ETag);
        },
      },
      {
        method: 'PUT',
        setupRequest: (request, context) => {
          const ctx = context as Ctx;
          return { ...request, path: `/api/needs/${ctx.id ?? 0}`, headers: { ...c.session, 'if-match': ctx.etag ?? '' }, body: JSON.stringify({ ...need, status: 'in_bearbeitung' }) };
        },
      },
    ],
  };
  return [
    read('/api/regions?level=gemeinde'),
    read('/api/offers'),
    read(`/tiles/offers/12/${x}/${y}.pbf`),
    read('/ogc/collections/offers/items?limit=100'),
    write,
  ];
}

async function runTargets(server: ServerProcess, list: Target[]): Promise<autocannon.Result[]> {
  return Promise.all(list.map((t) => autocannon({ url: server.url, duration: SECONDS, connections: t.connections, requests: t.requests, timeout: 30 })));
}

async function measure(b: BenchDb): Promise<void> {
  const where = await place(b);
  // The embedded database is one process's: the server opens it, so the bench lets go first.
  if (b.kind === 'embedded') await b.db.close();
  const server = await startServer({ ...b.env, LOG_LEVEL: 'warn' }, 180_000);
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMiB(server.child.pid!)), 1000);
  try {
    const list = targets(where, await credentials(server.url));
    const results = await runTargets(server, list);
    clearInterval(timer);
    list.forEach((t, i) => {
      const r = results[i]!;
      const bad = r.non2xx + r.errors + r.timeouts;
      const codes = Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => `${code}×${s.count ?? 0}`).join(' ');
      const outcome = bad === 0 ? `no errors (${codes})` : `ERRORS: ${bad} (${codes}; ${r.errors} socket errors, ${r.timeouts} timeouts)`;
      row(`${b.kind} ${t.label}`, `${r.requests.average.toFixed(1)} req/s`, `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${outcome}`);
    });
    const window = Math.min(10, Math.floor(samples.length / 2));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const first = mean(samples.slice(0, window));
    const last = mean(samples.slice(-window));
    row(`${b.kind} server RSS: first ${window} s → last ${window} s`, `${first.toFixed(0)} → ${last.toFixed(0)} MiB`, `ratio ${(last / first).toFixed(3)}`);
  } finally {
    clearInterval(timer);
    await server.stop();
  }
}

export async function benchLoad(): Promise<void> {
  console.log(`\nLoad: ${SECONDS} s per backend, ${CONNECTIONS} connections per read endpoint, reads and writes at once`);
  await onEachBackend([embeddedDb, postgresDb], measure);
}
