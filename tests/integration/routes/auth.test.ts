import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

for (const kind of BACKENDS) {
  describe(`accounts, sessions and tokens on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('logs in with a HttpOnly, SameSite session cookie and answers /me', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'Coordinator@Demo.Local', password: 'demo' } });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.value.length).toBeGreaterThanOrEqual(40);
      const body = res.json();
      expect(body).toMatchObject({ email: 'coordinator@demo.local', role: 'coordinator', districts: ['010990000000'] });
      expect(body).not.toHaveProperty('password_hash');
      const me = await app.inject({ url: '/api/auth/me', headers: { cookie: `ilk_session=${cookie.value}` } });
      expect(me.json()).toMatchObject({ role: 'coordinator', csrf_token: body.csrf_token });
    });

    it('rejects a wrong password without telling which part was wrong', async () => {
      const wrongPw = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'analyst@demo.local', password: 'nope' } });
      const noUser = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@demo.local', password: 'nope' } });
      expect(wrongPw.statusCode).toBe(401);
      expect(noUser.statusCode).toBe(401);
      expect(wrongPw.json().detail).toBe(noUser.json().detail);
    });

    it('throttles an account after five failed logins, even with the right password', async () => {
      for (let i = 0; i < 5; i++) {
        await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ministry@demo.local', password: `wrong-${i}` } });
      }
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ministry@demo.local', password: 'demo' } });
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    });

    it('limits login attempts per client address', async () => {
      const limited = await buildTestApp(t.db, { LOGIN_RATE_LIMIT: '3' });
      const attempt = () => limited.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@demo.local', password: 'x' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.headers['retry-after']).toBeDefined();
      await limited.close();
    });

    it('requires the CSRF token for writes made with the session cookie', async () => {
      const s = await login(app, 'coordinator');
      const res = await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: s.cookie }, payload: { name: 'x' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toMatch(/x-csrf-token/);
      const ok = await as(app, s)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'x' } });
      expect(ok.statusCode).toBe(201);
    });

    it('invalidates the session on logout and replaces a planted session id at login', async () => {
      const s = await login(app, 'analyst');
      expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers })).statusCode).toBe(204);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);

      const first = await login(app, 'analyst');
      const again = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: first.cookie }, payload: { email: 'analyst@demo.local', password: 'demo' } });
      const second = again.cookies.find((c) => c.name === 'ilk_session')!.value;
      expect(`ilk_session=${second}`).not.toBe(first.cookie);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    });

    it('expires sessions after 12 hours, and after 2 hours without use', async () => {
      const absolute = await login(app, 'coordinator');
      const idle = await login(app, 'coordinator');
      const hash = (cookie: string) => createHash('sha256').update(cookie.split('=')[1]!).digest('hex');
      await t.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1", [hash(absolute.cookie)]);
      await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '2 hours 1 minute' WHERE id_hash = $1", [hash(idle.cookie)]);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: absolute.cookie } })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: idle.cookie } })).statusCode).toBe(401);
      const fresh = await login(app, 'coordinator');
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: fresh.cookie } })).statusCode).toBe(200);
    });

    it('restarts the idle clock and records token use at most once a minute, not on every request', async () => {
      // The rows are edited to stand for time passing, which a process's session cache does not
      // see before its entries expire; so this app asks the database on every request
      // (session-cache.test.ts shows the clock restarted once an entry has expired).
      const app = await buildTestApp(t.db, { SESSION_CACHE_SECONDS: '0' });
      onTestFinished(() => app.close());
      const s = await login(app, 'analyst');
      const hash = createHash('sha256').update(s.cookie.split('=')[1]!).digest('hex');
      const age = async () => (await t.db.query<{ s: number }>('SELECT extract(epoch FROM now() - last_seen_at)::float8 AS s FROM sessions WHERE id_hash = $1', [hash])).rows[0]!.s;
      // 30 seconds old: a request reads the session without writing it.
      await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '30 seconds' WHERE id_hash = $1", [hash]);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
      expect(await age()).toBeGreaterThanOrEqual(29);
      // 90 minutes old (within the 2 hours of idleness): the request restarts the clock, so the
      // session outlives what would otherwise have been its idle limit.
      await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '90 minutes' WHERE id_hash = $1", [hash]);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
      expect(await age()).toBeLessThan(5);

      const { token, id } = (await as(app, s)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'touch check' } })).json();
      const used = async () => (await t.db.query<{ at: Date | null }>('SELECT last_used_at AS at FROM api_tokens WHERE id = $1', [id])).rows[0]!.at;
      expect(await used()).toBeNull();
      const bearer = { authorization: `Bearer ${token}` };
      expect((await app.inject({ url: '/api/auth/me', headers: bearer })).statusCode).toBe(200);
      const first = await used();
      expect(first).not.toBeNull();
      await t.db.query("UPDATE api_tokens SET last_used_at = now() - interval '30 seconds' WHERE id = $1", [id]);
      const recent = await used();
      expect((await app.inject({ url: '/api/auth/me', headers: bearer })).statusCode).toBe(200);
      expect(await used()).toEqual(recent);
      await t.db.query("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [id]);
      const old = (await used())!;
      expect((await app.inject({ url: '/api/auth/me', headers: bearer })).statusCode).toBe(200);
      expect((await used())!.getTime()).toBeGreaterThan(old.getTime() + 100_000);
    });

    it('stores neither passwords nor session or token secrets in the clear', async () => {
      const s = await login(app, 'analyst');
      const { token } = (await as(app, s)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'leak check' } })).json();
      const { rows } = await t.db.query<{ dump: string }>(`
        SELECT (SELECT string_agg(password_hash, ' ') FROM users) || (SELECT string_agg(id_hash || csrf_token, ' ') FROM sessions)
               || (SELECT string_agg(token_hash, ' ') FROM api_tokens) AS dump`);
      expect(rows[0]!.dump).not.toContain(token);
      expect(rows[0]!.dump).not.toContain(s.cookie.split('=')[1]);
      expect(rows[0]!.dump).toMatch(/\$argon2id\$/);
      expect(rows[0]!.dump).not.toMatch(/(^| )demo( |$)/);
    });

    it('issues an API token once, accepts it as Bearer, lists it without the secret, and revokes it', async () => {
      const s = await login(app, 'analyst');
      const created = await as(app, s)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'QGIS' } });
      expect(created.statusCode).toBe(201);
      const { token, id } = created.json();
      const bearer = { authorization: `Bearer ${token}` };
      expect((await app.inject({ url: '/api/regions?level=verband', headers: bearer })).statusCode).toBe(200);
      const list = await as(app, s)({ url: '/api/auth/tokens' });
      expect(JSON.stringify(list.json())).not.toContain(token);
      expect(list.json()[0]).toMatchObject({ id, name: 'QGIS', revoked_at: null });
      expect((await as(app, s)({ method: 'DELETE', url: `/api/auth/tokens/${id}` })).statusCode).toBe(204);
      const after = await app.inject({ url: '/api/regions?level=verband', headers: bearer });
      expect(after.statusCode).toBe(401);
      expect((await app.inject({ url: '/api/regions?level=verband', headers: { authorization: 'Bearer not-a-token-at-all-xxxxxxxx' } })).statusCode).toBe(401);
    });
  });
}
