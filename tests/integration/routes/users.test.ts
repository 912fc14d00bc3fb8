import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';

const KREIS = '010990000000';
const PASSWORD = 'Lange-Passphrase-2026';

for (const kind of BACKENDS) {
  describe(`accounts managed by admins on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let adminSession: Session;
    let admin: ReturnType<typeof as>;
    let seq = 0;
    const newEmail = () => `person${++seq}@kreis.example`;
    const create = (body: Record<string, unknown>) => admin({ method: 'POST', url: '/api/users', payload: { password: PASSWORD, ...body } });
    const loginAs = (email: string, password = PASSWORD) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    const patch = (id: number, etag: string, payload: Record<string, unknown>) => admin({ method: 'PATCH', url: `/api/users/${id}`, headers: { 'if-match': etag }, payload });
    const auditOf = async (id: number) =>
      (await t.db.query<{ action: string; actor: string; before: any; after: any }>("SELECT action, actor, before, after FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id", [String(id)])).rows;
    const adminId = async () => (await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'admin@demo.local'")).rows[0]!.id;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      adminSession = await login(app, 'admin');
      admin = as(app, adminSession);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('creates a coordinator for an existing Kreis, who then logs in with that Kreis; audited without the password', async () => {
      const email = newEmail();
      const res = await create({ email: email.toUpperCase(), display_name: 'Frau Koordination', role: 'coordinator', districts: [KREIS] });
      expect(res.statusCode, res.body).toBe(201);
      const user = res.json();
      expect(user).toMatchObject({ email, role: 'coordinator', active: true, version: 1, districts: [{ ars: KREIS, name: expect.any(String) }] });
      expect(res.headers.etag).toBe(`"user-${user.id}-v1"`);
      expect(res.body).not.toMatch(/argon2|password_hash/);
      const me = await loginAs(email);
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({ role: 'coordinator', districts: [KREIS] });
      const entries = await auditOf(user.id);
      expect(entries).toEqual([expect.objectContaining({ action: 'create', actor: 'admin@demo.local' })]);
      expect(JSON.stringify(entries)).not.toMatch(/argon2|Lange-Passphrase/);
      const list = (await admin({ url: '/api/users' })).json().users as { email: string; last_seen_at: string | null }[];
      expect(list.find((u) => u.email === email)?.last_seen_at).toBeTruthy();
      expect(JSON.stringify(list)).not.toMatch(/argon2/);
    });

    it('names the field: password policy, missing or unknown Kreis, partner without organisation, duplicate e-mail', async () => {
      const weak = await create({ email: newEmail(), role: 'analyst', password: 'kurz' });
      expect(weak.statusCode).toBe(400);
      expect(weak.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(weak.json().errors).toEqual([{ field: '/password', message: 'must be at least 10 characters long' }]);
      const mine = newEmail();
      expect((await create({ email: mine, role: 'analyst', password: `${mine.split('@')[0]}-geheim-lang` })).json().errors[0]).toEqual({ field: '/password', message: 'must not contain the e-mail address' });
      expect((await create({ email: newEmail(), role: 'coordinator' })).json().errors).toEqual([{ field: '/districts', message: 'a coordinator needs at least one Kreis' }]);
      expect((await create({ email: newEmail(), role: 'coordinator', districts: [KREIS, '010530000000'] })).json().errors).toEqual([{ field: '/districts/1', message: 'names no Kreis in the database' }]);
      expect((await create({ email: newEmail(), role: 'analyst', districts: [KREIS] })).json().errors[0].field).toBe('/districts');
      expect((await create({ email: newEmail(), role: 'partner' })).json().errors).toEqual([{ field: '/organisation', message: 'a partner account needs the organisation it reports for' }]);
      expect((await create({ email: 'not-an-address', role: 'analyst' })).json().errors[0].field).toBe('/email');
      const dup = await create({ email: 'analyst@demo.local', role: 'analyst' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().errors).toEqual([{ field: '/email', message: 'is used by another account' }]);
    });

    it('is closed to every role but admin', async () => {
      for (const role of ['coordinator', 'ministry', 'analyst', 'partner'] as const) {
        const other = as(app, await login(app, role));
        expect((await other({ url: '/api/users' })).statusCode).toBe(403);
        expect((await other({ method: 'POST', url: '/api/users', payload: { email: newEmail(), role: 'admin', password: PASSWORD } })).statusCode).toBe(403);
      }
      expect((await app.inject({ url: '/api/users' })).statusCode).toBe(401);
    });

    it('changes role and Kreise with If-Match: 428 without, 412 on a stale ETag; leaving coordinator drops the Kreise', async () => {
      const user = (await create({ email: newEmail(), role: 'analyst' })).json();
      expect((await admin({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { role: 'coordinator', districts: [KREIS] } })).statusCode).toBe(428);
      const first = await patch(user.id, `"user-${user.id}-v1"`, { role: 'coordinator', districts: [KREIS], display_name: 'Neu' });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ role: 'coordinator', display_name: 'Neu', version: 2, districts: [{ ars: KREIS }] });
      expect((await patch(user.id, `"user-${user.id}-v1"`, { role: 'ministry' })).statusCode).toBe(412);
      const second = await patch(user.id, first.headers.etag as string, { role: 'ministry' });
      expect(second.json()).toMatchObject({ role: 'ministry', districts: [] });
      const read = await admin({ url: `/api/users/${user.id}` });
      expect(read.headers.etag).toBe(`"user-${user.id}-v3"`);
      const entries = await auditOf(user.id);
      expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'update']);
      expect(entries[2]).toMatchObject({ before: { role: 'coordinator' }, after: { role: 'ministry' } });
    });

    it('deactivating ends the sessions and the API tokens at once; reactivating does not revive them', async () => {
      const email = newEmail();
      const user = (await create({ email, role: 'analyst' })).json();
      const cookie = (await loginAs(email)).cookies.find((c) => c.name === 'ilk_session')!.value;
      const analyst = (opts: object) => app.inject({ ...opts, headers: { cookie: `ilk_session=${cookie}` } });
      const token = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: `ilk_session=${cookie}`, 'x-csrf-token': (await analyst({ url: '/api/auth/me' })).json().csrf_token }, payload: { name: 'QGIS' } })).json().token as string;
      const bearer = { authorization: `Bearer ${token}` };
      expect((await app.inject({ url: '/ogc/collections', headers: bearer })).statusCode).toBe(200);

      const off = await patch(user.id, `"user-${user.id}-v1"`, { active: false });
      expect(off.json()).toMatchObject({ active: false });
      expect((await analyst({ url: '/api/auth/me' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/ogc/collections', headers: bearer })).statusCode).toBe(401);
      expect((await t.db.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id])).rows.length).toBe(0);
      expect((await loginAs(email)).statusCode).toBe(401);

      const on = await patch(user.id, off.headers.etag as string, { active: true });
      expect(on.json()).toMatchObject({ active: true });
      expect((await app.inject({ url: '/ogc/collections', headers: bearer })).statusCode).toBe(401);
      expect((await loginAs(email)).statusCode).toBe(200);
      expect((await auditOf(user.id)).slice(1).map((e) => [e.before.active, e.after.active])).toEqual([[true, false], [false, true]]);
    });

    it('resets a password: the old one and every session and token stop working, the new one works', async () => {
      const email = newEmail();
      const user = (await create({ email, role: 'analyst' })).json();
      const cookie = (await loginAs(email)).cookies.find((c) => c.name === 'ilk_session')!.value;
      const policy = await admin({ method: 'POST', url: `/api/users/${user.id}/password`, payload: { password: 'aaaaaaaaaaaa' } });
      expect(policy.statusCode).toBe(400);
      expect(policy.json().errors).toEqual([{ field: '/password', message: 'must not repeat one character' }]);
      const reset = await admin({ method: 'POST', url: `/api/users/${user.id}/password`, payload: { password: 'Neues-Kennwort-42' } });
      expect(reset.statusCode, reset.body).toBe(200);
      expect(reset.body).not.toMatch(/Neues-Kennwort|argon2/);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: `ilk_session=${cookie}` } })).statusCode).toBe(401);
      expect((await loginAs(email)).statusCode).toBe(401);
      expect((await loginAs(email, 'Neues-Kennwort-42')).statusCode).toBe(200);
      const last = (await auditOf(user.id)).at(-1)!;
      expect(last).toMatchObject({ action: 'update', after: { password_reset: true, sessions_ended: 1 } });
      expect(JSON.stringify(last)).not.toMatch(/Neues-Kennwort|argon2/);
      expect((await admin({ method: 'POST', url: '/api/users/999999/password', payload: { password: 'Neues-Kennwort-42' } })).statusCode).toBe(404);
    });

    it('keeps one active admin, and admins cannot deactivate or demote themselves', async () => {
      const me = await adminId();
      const read = await admin({ url: `/api/users/${me}` });
      // The demo admin is the only admin: the last-admin rule speaks first.
      const last = await patch(me, read.headers.etag as string, { role: 'analyst' });
      expect(last.statusCode).toBe(409);
      expect(last.json().detail).toMatch(/last active admin/);
      expect(last.json().errors).toEqual([{ field: '/role', message: 'the last active admin cannot be removed' }]);

      const second = (await create({ email: newEmail(), role: 'admin' })).json();
      const self = await patch(me, read.headers.etag as string, { active: false });
      expect(self.statusCode).toBe(409);
      expect(self.json().errors).toEqual([{ field: '/active', message: 'not for your own account' }]);
      expect((await admin({ url: '/api/auth/me' })).statusCode).toBe(200);

      // Another admin may be demoted while one remains.
      const demoted = await patch(second.id, `"user-${second.id}-v1"`, { role: 'analyst' });
      expect(demoted.statusCode, demoted.body).toBe(200);
      expect((await t.db.query("SELECT 1 FROM users WHERE role = 'admin' AND active")).rows.length).toBe(1);
    });
  });
}
