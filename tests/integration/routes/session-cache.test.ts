import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { countingDb } from '../../helpers/counting-db.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';

const PASSWORD = 'Lange-Passphrase-2026';


// The principal cache (services/principal-cache.ts) with a TTL far longer than any test: every
// refusal below can only come from the process forgetting at the change of access.
for (const kind of BACKENDS) {
  describe(`sessions and tokens cached in the process on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let counter: ReturnType<typeof countingDb>;
    let admin: ReturnType<typeof as>;
    let seq = 0;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      counter = countingDb(t.db);
      app = await buildTestApp(counter.db, { SESSION_CACHE_SECONDS: '60' });
      admin = as(app, await login(app, 'admin'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    /** A new account, logged in, with an API token; the session and the token are cached. */
    async function cachedAccount(role = 'analyst') {
      const email = `cached${++seq}@kreis.example`;
      const created = await admin({ method: 'POST', url: '/api/users', payload: { email, password: PASSWORD, role, ...(role === 'coordinator' ? { districts: ['010990000000'] } : {}) } });
      expect(created.statusCode, created.body).toBe(201);
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
      const cookie = `ilk_session=${res.cookies.find((c) => c.name === 'ilk_session')!.value}`;
      const session: Session = { cookie, csrf: res.json().csrf_token, headers: { cookie, 'x-csrf-token': res.json().csrf_token } };
      const token = (await as(app, session)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'QGIS' } })).json() as { id: number; token: string };
      const bearer = { authorization: `Bearer ${token.token}` };
      const me = () => app.inject({ url: '/api/auth/me', headers: { cookie } });
      const viaToken = () => app.inject({ url: '/api/auth/me', headers: bearer });
      expect([(await me()).statusCode, (await viaToken()).statusCode]).toEqual([200, 200]);
      return { id: created.json().id as number, etag: `"user-${created.json().id}-v1"`, session, tokenId: token.id, me, viaToken };
    }

    it('answers a repeated request without a statement of its own', async () => {
      const a = await cachedAccount();
      const before = counter.statements();
      expect((await a.me()).statusCode).toBe(200);
      expect((await a.viaToken()).statusCode).toBe(200);
      expect(counter.statements()).toBe(before);
    });

    it('ends a cached session at logout', async () => {
      const a = await cachedAccount();
      expect((await as(app, a.session)({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
      expect((await a.me()).statusCode).toBe(401);
    });

    it('ends a cached token at its revocation, and keeps the session', async () => {
      const a = await cachedAccount();
      expect((await as(app, a.session)({ method: 'DELETE', url: `/api/auth/tokens/${a.tokenId}` })).statusCode).toBe(204);
      expect((await a.viaToken()).statusCode).toBe(401);
      expect((await a.me()).statusCode).toBe(200);
    });

    it('ends cached sessions and tokens at deactivation', async () => {
      const a = await cachedAccount();
      expect((await admin({ method: 'PATCH', url: `/api/users/${a.id}`, headers: { 'if-match': a.etag }, payload: { active: false } })).statusCode).toBe(200);
      expect([(await a.me()).statusCode, (await a.viaToken()).statusCode]).toEqual([401, 401]);
    });

    it('ends cached sessions and tokens at a password reset', async () => {
      const a = await cachedAccount();
      expect((await admin({ method: 'POST', url: `/api/users/${a.id}/password`, payload: { password: 'Neues-Kennwort-42' } })).statusCode).toBe(200);
      expect([(await a.me()).statusCode, (await a.viaToken()).statusCode]).toEqual([401, 401]);
    });

    it('applies a new role and new districts to the next request', async () => {
      const a = await cachedAccount('coordinator');
      expect((await a.me()).json()).toMatchObject({ role: 'coordinator', districts: ['010990000000'] });
      const res = await admin({ method: 'PATCH', url: `/api/users/${a.id}`, headers: { 'if-match': a.etag }, payload: { role: 'ministry' } });
      expect(res.statusCode, res.body).toBe(200);
      expect((await a.me()).json()).toMatchObject({ role: 'ministry', districts: [] });
    });

    it('restarts a cached session\'s idle clock once its entry has expired', async () => {
      const short = await buildTestApp(t.db, { SESSION_CACHE_SECONDS: '1' });
      try {
        const s = await login(short, 'analyst');
        const hash = createHash('sha256').update(s.cookie.split('=')[1]!).digest('hex');
        const me = () => short.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
        expect((await me()).statusCode).toBe(200);
        // 90 minutes without a request, within the 2 hours of idleness.
        await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '90 minutes' WHERE id_hash = $1", [hash]);
        await new Promise((r) => setTimeout(r, 1_100));
        expect((await me()).statusCode).toBe(200);
        const { rows } = await t.db.query<{ s: number }>('SELECT extract(epoch FROM now() - last_seen_at)::float8 AS s FROM sessions WHERE id_hash = $1', [hash]);
        expect(rows[0]!.s).toBeLessThan(5);
      } finally {
        await short.close();
      }
    });

    it('on another process sharing the database, ends a logged-out session after at most SESSION_CACHE_SECONDS', async () => {
      const other = countingDb(t.db);
      const b = await buildTestApp(other.db, { SESSION_CACHE_SECONDS: '1' });
      try {
        const s = await login(app, 'analyst');
        const meOnB = () => b.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
        expect((await meOnB()).statusCode).toBe(200);
        expect((await as(app, s)({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
        // Whatever b answers now, its entry was made before the logout and lasts one second.
        await new Promise((r) => setTimeout(r, 1_100));
        expect((await meOnB()).statusCode).toBe(401);
      } finally {
        await b.close();
      }
    });
  });
}
