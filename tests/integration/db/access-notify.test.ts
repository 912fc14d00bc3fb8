import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { countingDb } from '../../helpers/counting-db.ts';
import { ACCESS_CHANNEL } from '../../../server/src/services/access-listener.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';


async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 3_000): Promise<{ value: T; waited: number }> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return { value, waited: Date.now() - start };
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Two app instances on one PostgreSQL database with the default session cache (5 s, which the
// waits below stay well under): `b` learns of every change of access made through `a` or by
// plain SQL from the database's notification (migration 016), and asks the database itself
// while it cannot hear them.
describe.runIf(process.env.TEST_DATABASE_URL)('changes of access reach every process on PostgreSQL', () => {
  let t: TestDatabase;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let onB: ReturnType<typeof countingDb>;

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    onB = countingDb(t.db, { listen: true });
    [a, b] = await Promise.all([buildTestApp(t.db), buildTestApp(onB.db)]);
    await until('both listening', async () => [a.principals.active, b.principals.active], (v) => v.every(Boolean));
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await t?.dispose();
  });

  const meOnB = (cookie: string) => b.inject({ url: '/api/auth/me', headers: { cookie } });
  const sql = <R = Record<string, unknown>>(text: string, params: unknown[] = []) => t.db.query<R>(text, params);

  it('caches by default on PostgreSQL: a repeated request on b runs no statement', async () => {
    const s = await login(a, 'analyst');
    expect((await meOnB(s.cookie)).statusCode).toBe(200);
    const before = onB.statements();
    expect((await meOnB(s.cookie)).statusCode).toBe(200);
    expect(onB.statements()).toBe(before);
  });

  it('ends on b a cached session that logged out on a', async () => {
    const s = await login(a, 'analyst');
    expect((await meOnB(s.cookie)).statusCode).toBe(200);
    expect((await as(a, s)({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    const { waited } = await until('401 on b', async () => (await meOnB(s.cookie)).statusCode, (code) => code === 401);
    expect(waited).toBeLessThan(1_000);
  });

  it('applies on b a role and a deactivation set by plain SQL (the CLI, another tool)', async () => {
    const s = await login(a, 'coordinator');
    expect((await meOnB(s.cookie)).json()).toMatchObject({ role: 'coordinator' });
    const { rows } = await sql<{ id: number }>("SELECT id FROM users WHERE email = 'coordinator@demo.local'");
    const id = rows[0]!.id;
    try {
      await sql("UPDATE users SET role = 'ministry' WHERE id = $1", [id]);
      await until('new role on b', async () => (await meOnB(s.cookie)).json().role, (role) => role === 'ministry', 1_000);
      await sql('UPDATE users SET active = false WHERE id = $1', [id]);
      await until('401 on b', async () => (await meOnB(s.cookie)).statusCode, (code) => code === 401, 1_000);
    } finally {
      await sql("UPDATE users SET role = 'coordinator', active = true WHERE id = $1", [id]);
    }
  });

  it('announces each user once per transaction, and not the bookkeeping of every request', async () => {
    const heard: string[] = [];
    const stop = await t.db.listen!(ACCESS_CHANNEL, { message: (p) => heard.push(p), up: () => {}, down: () => {} });
    try {
      const s = await login(a, 'analyst');
      const { rows } = await sql<{ id: number }>("SELECT id FROM users WHERE email = 'analyst@demo.local'");
      // Touching the session and a token's last use are not changes of access.
      await sql("UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1", [rows[0]!.id]);
      await sql('UPDATE api_tokens SET last_used_at = now() WHERE user_id = $1', [rows[0]!.id]);
      await t.db.transaction(async (tx) => {
        await tx.query('DELETE FROM sessions WHERE user_id = $1', [rows[0]!.id]);
        await tx.query('UPDATE users SET display_name = display_name WHERE id = $1', [rows[0]!.id]);
      });
      await until('the notice', async () => heard.length, (n) => n > 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([String(rows[0]!.id)]);
      expect((await meOnB(s.cookie)).statusCode).toBe(401);
    } finally {
      await stop();
    }
  });

  it('asks the database while the listening connection is lost, and caches again once it is back', async () => {
    const s = await login(a, 'partner');
    expect((await meOnB(s.cookie)).statusCode).toBe(200);
    // b's listener reconnects after 250 ms: on a slow machine that can come before the checks
    // below are done, which would make them check nothing. Then the connection is cut again.
    let checked = false;
    for (let attempt = 1; attempt <= 5 && !checked; attempt++) {
      const killed = await sql(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [`ilk listen ${ACCESS_CHANNEL}`],
      );
      expect(killed.rows.length).toBeGreaterThanOrEqual(1);
      await until('b suspended', async () => b.principals.active, (active) => !active);
      // Every request reaches the database now.
      const before = onB.statements();
      const codes = [(await meOnB(s.cookie)).statusCode, (await meOnB(s.cookie)).statusCode];
      const statements = onB.statements() - before;
      if (b.principals.active) continue;
      expect(codes).toEqual([200, 200]);
      expect(statements).toBe(2);
      checked = true;
    }
    expect(checked).toBe(true);
    await until('b listening again', async () => b.principals.active, Boolean);
    const again = await login(a, 'partner');
    expect((await meOnB(again.cookie)).statusCode).toBe(200);
    const cached = onB.statements();
    expect((await meOnB(again.cookie)).statusCode).toBe(200);
    expect(onB.statements()).toBe(cached);
    // And it hears again: a deletion by SQL ends the cached session on b.
    await sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'partner@demo.local')");
    await until('401 on b', async () => (await meOnB(again.cookie)).statusCode, (code) => code === 401, 1_000);
  });
});
