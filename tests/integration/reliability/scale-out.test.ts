import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLogin, startServer, type ServerProcess } from '../../helpers/server-process.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { offerFeature } from '../../fixtures/offers.ts';

// Several app processes behind a reverse proxy share one PostgreSQL database and nothing else:
// sessions, API tokens and optimistic locking live in the database, so a user may land on any
// process for any request. Two real server processes stand in for the replicas here.
describe.runIf(process.env.TEST_DATABASE_URL)('two app processes on one PostgreSQL database', () => {
  let t: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let point: [number, number];

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    const env = { DATABASE_URL: t.url!, LOG_LEVEL: 'warn', MAX_EVENT_LOOP_DELAY_MS: '0' };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    const { rows } = await t.db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY ars LIMIT 1");
    point = [rows[0]!.lon, rows[0]!.lat];
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.dispose();
  });

  const me = (server: ServerProcess, headers: Record<string, string>) => fetch(`${server.url}/api/auth/me`, { headers }).then((r) => r.status);
  /** The session's headers for a request without a body. */
  const bare = ({ cookie, 'x-csrf-token': csrf }: Record<string, string>) => ({ cookie: cookie!, 'x-csrf-token': csrf! });

  it('accepts a session made on one process on the other, for reads and for writes with its CSRF token', async () => {
    const session = await httpLogin(a.url);
    expect(await me(b, session)).toBe(200);
    const created = await fetch(`${b.url}/api/offers`, { method: 'POST', headers: session, body: JSON.stringify(offerFeature(...point)) });
    expect(created.status, await created.clone().text()).toBe(201);
    const withoutCsrf = await fetch(`${b.url}/api/offers`, { method: 'POST', headers: { cookie: bare(session).cookie, 'content-type': 'application/json' }, body: JSON.stringify(offerFeature(...point)) });
    expect(withoutCsrf.status).toBe(403);
  });

  it('accepts an API token made on one process on the other, and refuses it there once revoked on the first', async () => {
    const session = await httpLogin(a.url);
    const res = await fetch(`${a.url}/api/auth/tokens`, { method: 'POST', headers: session, body: JSON.stringify({ name: 'replica test' }) });
    expect(res.status).toBe(201);
    const { id, token } = (await res.json()) as { id: number; token: string };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await fetch(`${b.url}/api/offers?category=sprache`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${a.url}/api/auth/tokens/${id}`, { method: 'DELETE', headers: bare(session) })).status).toBe(204);
    expect((await fetch(`${b.url}/api/offers?category=sprache`, { headers: bearer })).status).toBe(401);
  });

  it('ends a session on both processes when it logs out on one', async () => {
    const session = await httpLogin(b.url);
    expect([await me(a, session), await me(b, session)]).toEqual([200, 200]);
    const out = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: bare(session) });
    expect(out.status).toBe(204);
    expect([await me(a, session), await me(b, session)]).toEqual([401, 401]);
  });

  it('lets exactly one of two writes with the same ETag through, one on each process, ten times over', async () => {
    const [onA, onB] = await Promise.all([httpLogin(a.url), httpLogin(b.url)]);
    const created = await fetch(`${a.url}/api/offers`, { method: 'POST', headers: onA, body: JSON.stringify(offerFeature(...point)) });
    const { id } = (await created.json()) as { id: number };
    let etag = created.headers.get('etag')!;
    const winners: string[] = [];
    for (let round = 1; round <= 10; round++) {
      const put = (server: ServerProcess, headers: Record<string, string>, name: string) =>
        fetch(`${server.url}/api/offers/${id}`, { method: 'PUT', headers: { ...headers, 'if-match': etag }, body: JSON.stringify(offerFeature(...point, { name })) });
      const results = await Promise.all([put(a, onA, `A ${round}`), put(b, onB, `B ${round}`)]);
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200)!;
      etag = winner.headers.get('etag')!;
      winners.push(((await winner.json()) as { properties: { name: string } }).properties.name);
      await Promise.all(results.filter((r) => r !== winner).map((r) => r.arrayBuffer()));
    }
    const stored = await t.db.query<{ name: string; version: number }>('SELECT name, version FROM offers WHERE id = $1', [id]);
    expect(stored.rows[0]).toEqual({ name: winners[9], version: 11 });
    const updates = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'offer' AND entity_id = $1 AND action = 'update'", [String(id)]);
    expect(updates.rows[0]!.n).toBe(10);
  });
});
