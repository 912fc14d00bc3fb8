import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../server/src/db/index.ts';
import { createPgDatabase } from '../../../server/src/db/pg-database.ts';
import { migrate } from '../../../server/src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../../server/src/seed/demo.ts';
import { ensureInitialAccounts } from '../../../server/src/seed/accounts.ts';
import { loadConfig } from '../../../server/src/config.ts';
import { DEMO_DIR, MIGRATIONS_DIR } from '../../helpers/paths.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres.ts';
import { httpLogin, startServer, type ServerProcess } from '../../helpers/server-process.ts';
import { openTestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const needBody = (i: number, gemeinde: string) => JSON.stringify({ region_level: 'gemeinde', region_ars: gemeinde, kind: 'information', title: `Fault ${i}` });

/** A bounded write loop: one POST after another, remembering every acknowledged id. */
function writeLoop(url: string, headers: Record<string, string>, gemeinde: string, untilMs: number) {
  const acknowledged: number[] = [];
  const statuses: number[] = [];
  const slowest = { ms: 0, status: 0 };
  const done = (async () => {
    const stopAt = Date.now() + untilMs;
    for (let i = 0; Date.now() < stopAt; i++) {
      const started = Date.now();
      const res = await fetch(`${url}/api/needs`, { method: 'POST', headers, body: needBody(i, gemeinde), signal: AbortSignal.timeout(10_000) }).catch(() => null);
      const status = res?.status ?? 0;
      statuses.push(status);
      if (Date.now() - started > slowest.ms) Object.assign(slowest, { ms: Date.now() - started, status });
      if (res && status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
      else await res?.arrayBuffer();
      await sleep(25);
    }
  })();
  return { acknowledged, statuses, slowest, done };
}

describe('PostgreSQL restarted in the middle of steady traffic', () => {
  let pgsrv: PrivatePostgres;
  let server: ServerProcess;
  beforeAll(async () => {
    pgsrv = await startPrivatePostgres();
    const db = await openDatabase({ databaseUrl: pgsrv.url, pgliteDir: '' });
    await migrate(db, MIGRATIONS_DIR);
    await seedDemoIfEmpty(db, DEMO_DIR);
    await ensureInitialAccounts(db, loadConfig({}), { info() {}, warn() {}, error() {} } as never);
    await db.close();
    server = await startServer({ DATABASE_URL: pgsrv.url, DB_CONNECTION_TIMEOUT_MS: '1000', MAX_EVENT_LOOP_DELAY_MS: '0' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    pgsrv?.destroy();
  });

  it('fails fast with 503 during the outage, recovers within 5 s, and keeps every acknowledged write', { timeout: 120_000 }, async () => {
    const headers = await httpLogin(server.url);
    const regions = (await (await fetch(`${server.url}/api/regions?level=gemeinde`, { headers })).json()) as { features: { id: string }[] };
    const gemeinde = regions.features[0]!.id;
    const loop = writeLoop(server.url, headers, gemeinde, 14_000);
    await sleep(3_000);
    pgsrv.stop();
    await sleep(1_000);
    // During the outage: problem+json 503, quickly.
    const t0 = Date.now();
    const during = await fetch(`${server.url}/api/regions?level=verband`, { headers });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toMatch(/problem\+json/);
    await sleep(2_000);
    pgsrv.start();
    const back = Date.now();
    let recoveredAfter = Infinity;
    while (Date.now() - back < 10_000) {
      const r = await fetch(`${server.url}/api/regions?level=verband`, { headers }).catch(() => null);
      if (r?.status === 200) {
        recoveredAfter = Date.now() - back;
        break;
      }
      await sleep(100);
    }
    expect(recoveredAfter).toBeLessThan(5_000);
    await loop.done;
    // Every answer was a success or a clean 503; none hung until the client gave up.
    expect(new Set(loop.statuses.filter((s) => s !== 201 && s !== 503))).toEqual(new Set());
    expect(loop.statuses).toContain(503);
    expect(loop.slowest.ms).toBeLessThan(5_000);
    // Every write acknowledged with 2xx is still there.
    const db = createPgDatabase({ connectionString: pgsrv.url });
    const { rows } = await db.query<{ id: number }>('SELECT id FROM needs WHERE id = ANY($1::bigint[])', [loop.acknowledged]);
    await db.close();
    expect(loop.acknowledged.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...loop.acknowledged].sort((a, b) => a - b));
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('connection pool exhausted by slow queries', () => {
  it('answers new requests with 503 quickly, and a statement timeout bounds every query', { timeout: 60_000 }, async () => {
    const t = await openTestDatabase('postgres');
    onTestFinished(() => t.dispose());
    const db = createPgDatabase({ connectionString: t.url!, max: 2, connectionTimeoutMs: 500, statementTimeoutMs: 2_000 });
    const app = await buildTestApp(db);
    onTestFinished(async () => { await app.close(); await db.close(); });
    const analyst = as(app, await login(app, 'analyst'));
    // Two slow queries hold both connections.
    const slow = [1, 2].map(() => db.transaction((tx) => tx.query('SELECT pg_sleep(1.5)')));
    await sleep(100);
    const started = Date.now();
    const res = await analyst({ url: '/api/needs' });
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(1_500);
    await Promise.all(slow);
    expect((await analyst({ url: '/api/needs' })).statusCode).toBe(200);
    // A runaway statement is cancelled by statement_timeout.
    const t0 = Date.now();
    await expect(db.query('SELECT pg_sleep(10)')).rejects.toThrow(/statement timeout/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('SIGTERM and kill -9 on the embedded database', () => {
  it('finishes in-flight requests on SIGTERM, refuses new ones and exits cleanly', { timeout: 120_000 }, async () => {
    const t = await openTestDatabase('embedded');
    await t.db.close();
    const server = await startServer({ DATA_DIR: t.dataDir! });
    onTestFinished(async () => { await server.stop('SIGKILL'); await t.dispose().catch(() => {}); });
    const headers = await httpLogin(server.url);
    const inflight = Array.from({ length: 8 }, () => fetch(`${server.url}/api/offers`, { headers }).then(async (r) => ({ status: r.status, n: ((await r.json()) as { features: unknown[] }).features.length })));
    // In flight means the server has read the request: wait until it logged all eight.
    while ((server.output().match(/"url":"\/api\/offers"/g) ?? []).length < 8) await sleep(10);
    server.child.kill('SIGTERM');
    await sleep(20);
    // A new request is refused (connection refused, or 503 on a kept-alive connection).
    const late = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);
    const results = await Promise.all(inflight);
    for (const r of results) expect(r).toMatchObject({ status: 200 });
    expect(results[0]!.n).toBeGreaterThan(300);
    expect(await server.exited).toBe(0);
  });

  it('reopens intact after kill -9 in the middle of writes, with every acknowledged write', { timeout: 180_000 }, async () => {
    const t = await openTestDatabase('embedded');
    const gemeinde = (await t.db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1")).rows[0]!.ars;
    await t.db.close();
    const first = await startServer({ DATA_DIR: t.dataDir! });
    onTestFinished(async () => { await first.stop('SIGKILL'); });
    const loop = writeLoop(first.url, await httpLogin(first.url), gemeinde, 60_000);
    while (loop.acknowledged.length < 20) await sleep(50);
    first.child.kill('SIGKILL');
    await first.exited;
    await loop.done.catch(() => {});

    const second = await startServer({ DATA_DIR: t.dataDir! });
    onTestFinished(async () => { await second.stop('SIGKILL'); await t.dispose().catch(() => {}); });
    const headers = await httpLogin(second.url);
    const missing: number[] = [];
    for (const id of loop.acknowledged) {
      const r = await fetch(`${second.url}/api/needs/${id}`, { headers });
      if (r.status !== 200) missing.push(id);
      await r.arrayBuffer();
    }
    expect(missing).toEqual([]);
    expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
  });
});
