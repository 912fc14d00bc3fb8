import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';

async function loginEmail(app: FastifyInstance, email: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'demo' } });
  const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
  const csrf = res.json().csrf_token as string;
  return { cookie: `ilk_session=${cookie.value}`, csrf, headers: { cookie: `ilk_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

for (const kind of BACKENDS) {
  describe(`partner reports and the needs inbox on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let partner: ReturnType<typeof as>;
    let other: ReturnType<typeof as>;
    let coord: ReturnType<typeof as>;
    let gemeinde: string;
    const report = (title: string) => ({ region_level: 'gemeinde', region_ars: gemeinde, kind: 'angebotsluecke', category: 'sprache', title, priority: 'hoch' });
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      await addUser(t.db, { email: 'partner2@demo.local', password: 'demo', role: 'partner', organisation: 'Sprachcafé Nord e. V.' }, false);
      partner = as(app, await login(app, 'partner'));
      other = as(app, await loginEmail(app, 'partner2@demo.local'));
      coord = as(app, await login(app, 'coordinator'));
      gemeinde = (await t.db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1")).rows[0]!.ars;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('stores a partner\'s report with its organisation and account, status "neu", audited', async () => {
      const res = await partner({ method: 'POST', url: '/api/partner/needs', payload: { ...report('Kein Abendkurs'), description: 'Berufstätige finden keinen Kurs.' } });
      expect(res.statusCode, res.body).toBe(201);
      const need = res.json();
      expect(need).toMatchObject({ title: 'Kein Abendkurs', status: 'neu', priority: 'hoch', region_key: gemeinde, reported_by: 'Migrationsberatung Demo-Förde', history: [] });
      const { rows } = await t.db.query<{ email: string; action: string }>(`
        SELECT u.email, a.action FROM needs n JOIN users u ON u.id = n.reported_by_user_id
          JOIN audit_log a ON a.entity = 'need' AND a.entity_id = n.id::text AND a.user_id = u.id WHERE n.id = $1`, [need.id]);
      expect(rows).toEqual([{ email: 'partner@demo.local', action: 'create' }]);
      // The status and the reporter are the server's to set.
      const forged = await partner({ method: 'POST', url: '/api/partner/needs', payload: { ...report('x'), status: 'erledigt', reported_by: 'Ministerium' } });
      expect(forged.statusCode).toBe(400);
      const unknown = await partner({ method: 'POST', url: '/api/partner/needs', payload: { ...report('x'), region_ars: '010999999999' } });
      expect(unknown.json().errors[0].field).toBe('/region_ars');
    });

    it('lets a partner pick a place by name: every Amt, amtsfreie Gemeinde and Gemeinde, nothing more', async () => {
      const { regions } = (await partner({ url: '/api/partner/regions' })).json();
      // An amtsfreie Gemeinde (a Verband with one Gemeinde) is listed once, as the Verband.
      const { rows } = await t.db.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM regions r WHERE r.level = 'verband'
            OR (r.level = 'gemeinde' AND (SELECT count(*) FROM regions s WHERE s.level = 'gemeinde' AND s.parent_id = r.parent_id) > 1)`);
      expect(regions).toHaveLength(rows[0]!.n);
      expect(Object.keys(regions[0]).sort()).toEqual(['key', 'kind', 'kreis_name', 'level', 'name', 'parent_name']);
    });

    it('lists only the partner\'s own reports', async () => {
      const mine = (await partner({ method: 'POST', url: '/api/partner/needs', payload: report('Meins') })).json();
      const theirs = (await other({ method: 'POST', url: '/api/partner/needs', payload: report('Fremd') })).json();
      const list = (await partner({ url: '/api/partner/needs' })).json().needs as { id: number; reported_by: string }[];
      expect(list.map((n) => n.id)).toContain(mine.id);
      expect(list.map((n) => n.id)).not.toContain(theirs.id);
      const { rows } = await t.db.query<{ id: number }>("SELECT n.id FROM needs n JOIN users u ON u.id = n.reported_by_user_id WHERE u.email = 'partner@demo.local' ORDER BY n.created_at DESC, n.id DESC");
      expect(list.map((n) => n.id)).toEqual(rows.map((r) => r.id));
      expect((await other({ url: '/api/partner/needs' })).json().needs.map((n: { id: number }) => n.id)).toEqual([theirs.id]);
    });

    it('gives a partner 403 on every other data route', async () => {
      const own = (await partner({ method: 'POST', url: '/api/partner/needs', payload: report('Eigen') })).json();
      const foreign = (await other({ method: 'POST', url: '/api/partner/needs', payload: report('Fremd') })).json();
      const urls = ['/api/needs', `/api/needs/${own.id}`, '/api/offers', '/api/offers/counts', '/api/regions?level=verband', '/api/coverage?category=sprache',
        '/api/coverage/white-spots?category=sprache', '/api/providers', '/api/providers.csv', '/api/networks', '/api/export/needs.csv', '/api/audit',
        '/ogc/collections', '/tiles/offers/0/0/0.pbf', `/api/needs/${foreign.id}/events`];
      for (const url of urls) expect({ url, status: (await partner({ url })).statusCode }).toEqual({ url, status: 403 });
      const comment = await partner({ method: 'POST', url: `/api/needs/${own.id}/events`, payload: { kind: 'comment', text: 'Und?' } });
      expect(comment.statusCode).toBe(403);
      expect((await partner({ url: `/api/needs/${own.id}/events` })).statusCode).toBe(200);
    });

    it('keeps the inbox history: triage, assign, comment, close; 428 without and 412 with a stale If-Match', async () => {
      const need = (await partner({ method: 'POST', url: '/api/partner/needs', payload: report('Kita-Plätze fehlen') })).json();
      const url = `/api/needs/${need.id}/events`;
      const v1 = (await coord({ url: `/api/needs/${need.id}` })).headers.etag as string;
      const coordinatorId = (await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'coordinator@demo.local'")).rows[0]!.id;

      expect((await coord({ method: 'POST', url, payload: { kind: 'status_change', status: 'in_bearbeitung' } })).statusCode).toBe(428);
      const triage = await coord({ method: 'POST', url, headers: { 'if-match': v1 }, payload: { kind: 'status_change', status: 'in_bearbeitung', text: 'Wird geprüft' } });
      expect(triage.statusCode, triage.body).toBe(201);
      const v2 = triage.headers.etag as string;
      expect(v2).toBe(`"need-${need.id}-v2"`);
      const stale = await coord({ method: 'POST', url, headers: { 'if-match': v1 }, payload: { kind: 'assign', assigned_to: coordinatorId } });
      expect(stale.statusCode).toBe(412);
      const assign = await coord({ method: 'POST', url, headers: { 'if-match': v2 }, payload: { kind: 'assign', assigned_to: coordinatorId } });
      expect(assign.statusCode, assign.body).toBe(201);
      const v3 = assign.headers.etag as string;
      const comment = await coord({ method: 'POST', url, payload: { kind: 'comment', text: 'Träger angefragt.' } });
      expect(comment.statusCode).toBe(201);
      expect(comment.headers.etag).toBe(v3);
      const again = await coord({ method: 'POST', url, headers: { 'if-match': v3 }, payload: { kind: 'status_change', status: 'in_bearbeitung' } });
      expect(again.json().errors[0].field).toBe('/status');
      const close = await coord({ method: 'POST', url, headers: { 'if-match': v3 }, payload: { kind: 'status_change', status: 'erledigt' } });
      expect(close.statusCode).toBe(201);

      const history = (await coord({ url })).json();
      // The assignee by name (the display name, else the e-mail), not only as an account id.
      expect(history).toMatchObject({ need_id: need.id, status: 'erledigt', assigned_to: coordinatorId, assignee: 'Demo Koordination', version: 4 });
      expect(history.events.map((e: Record<string, unknown>) => [e.kind, e.from_value, e.to_value, e.from_name, e.to_name, e.text, e.actor])).toEqual([
        ['status_change', 'neu', 'in_bearbeitung', null, null, 'Wird geprüft', 'Demo Koordination'],
        ['assign', null, String(coordinatorId), null, 'Demo Koordination', null, 'Demo Koordination'],
        ['comment', null, null, null, null, 'Träger angefragt.', 'Demo Koordination'],
        ['status_change', 'in_bearbeitung', 'erledigt', null, null, null, 'Demo Koordination'],
      ]);
      const audited = await t.db.query<{ action: string; entity: string }>(`
        SELECT action, entity FROM audit_log WHERE (entity = 'need' AND entity_id = $1) OR (entity = 'need_event' AND after->>'need_id' = $1) ORDER BY id`, [String(need.id)]);
      expect(audited.rows.map((r) => `${r.action} ${r.entity}`)).toEqual(['create need', 'update need', 'update need', 'create need_event', 'update need']);

      // Handed on to the admin, the event names both accounts; without a display name, the e-mail.
      const adminId = (await t.db.query<{ id: number }>("UPDATE users SET display_name = NULL WHERE email = 'admin@demo.local' RETURNING id")).rows[0]!.id;
      const handOver = await coord({ method: 'POST', url, headers: { 'if-match': close.headers.etag as string }, payload: { kind: 'assign', assigned_to: adminId } });
      expect(handOver.statusCode, handOver.body).toBe(201);
      expect(handOver.json()).toMatchObject({ from_value: String(coordinatorId), to_value: String(adminId), from_name: 'Demo Koordination', to_name: 'admin@demo.local' });
      expect((await coord({ url })).json()).toMatchObject({ assigned_to: adminId, assignee: 'admin@demo.local' });
      await t.db.query("UPDATE users SET display_name = 'Demo Admin' WHERE id = $1", [adminId]);

      // The partner follows the status and the conversation, not the office's internal routing.
      const seen = (await partner({ url: '/api/partner/needs' })).json().needs.find((n: { id: number }) => n.id === need.id);
      expect(seen.status).toBe('erledigt');
      expect(seen.history.map((e: { kind: string }) => e.kind)).toEqual(['status_change', 'comment', 'status_change']);
      expect((await partner({ url })).json()).toMatchObject({ status: 'erledigt', assigned_to: null, assignee: null });
    });

    it('checks the fields of each action and who may be assigned', async () => {
      const need = (await partner({ method: 'POST', url: '/api/partner/needs', payload: report('Prüfen') })).json();
      const url = `/api/needs/${need.id}/events`;
      const etag = (await coord({ url: `/api/needs/${need.id}` })).headers.etag as string;
      const field = async (payload: object) => (await coord({ method: 'POST', url, headers: { 'if-match': etag }, payload })).json().errors.map((e: { field: string }) => e.field);
      expect(await field({ kind: 'comment' })).toEqual(['/text']);
      expect(await field({ kind: 'status_change', status: 'erledigt', assigned_to: 1 })).toEqual(['/assigned_to']);
      const partnerId = (await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'partner@demo.local'")).rows[0]!.id;
      expect(await field({ kind: 'assign', assigned_to: partnerId })).toEqual(['/assigned_to']);
      expect(await field({ kind: 'assign', assigned_to: 999999 })).toEqual(['/assigned_to']);
      expect((await coord({ method: 'POST', url: '/api/needs/999999/events', payload: { kind: 'comment', text: 'x' } })).statusCode).toBe(404);
      expect((await coord({ url: '/api/needs/999999/events' })).statusCode).toBe(404);
    });
  });
}
