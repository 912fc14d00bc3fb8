import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';
import { offerFeature } from '../../fixtures/offers.ts';

type Who = ReturnType<typeof as>;
interface Change { field: string; from: unknown; to: unknown }
interface Entry { at: string; actor: string | null; action: string; changes: Change[]; text?: string | null }

const report = (housing_free: number) => ({
  report_date: '2026-11-01', housing_free, housing_free_barrier_free: 1, shared_accommodation_places: 0, kita_free: 1,
  school_free: 2, language_course_free: 4, gp_accepting: 1, refugees_housed: 10, intake_ytd: 4,
});

// Every record's "Verlauf" comes from the audit log and is read by whoever may read the record.
for (const kind of BACKENDS) {
  describe(`history of records and the audit log on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let admin: Who, coord: Who, ministry: Who, partner: Who, otherPartner: Who, outsider: Who;
    let point: [number, number];
    let gemeinde: string;
    let verband: string;
    const entries = async (who: Who, url: string): Promise<Entry[]> => {
      const res = await who({ url });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().entries;
    };
    const loginEmail = async (email: string, password: string): Promise<Who> => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
      const cookie = `ilk_session=${res.cookies.find((c) => c.name === 'ilk_session')!.value}`;
      return as(app, { cookie, csrf: res.json().csrf_token, headers: { cookie, 'x-csrf-token': res.json().csrf_token } });
    };

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      // A coordinator of Herzogtum Lauenburg, which is not in this database: no demo record is theirs.
      await addUser(t.db, { email: 'hist.outsider@kreis-rz.example', password: 'Wolken über der Elbe 7', role: 'coordinator', districts: ['010530000000'] });
      await addUser(t.db, { email: 'hist.partner2@demo.local', password: 'demo', role: 'partner', organisation: 'Andere Beratung' }, false);
      const [a, c, m, p] = await Promise.all((['admin', 'coordinator', 'ministry', 'partner'] as const).map(async (r) => as(app, await login(app, r))));
      [admin, coord, ministry, partner] = [a!, c!, m!, p!];
      outsider = await loginEmail('hist.outsider@kreis-rz.example', 'Wolken über der Elbe 7');
      otherPartner = await loginEmail('hist.partner2@demo.local', 'demo');
      const { rows } = await t.db.query<{ lon: number; lat: number; gemeinde: string; verband: string }>(`
        SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, g.ars AS gemeinde, v.ars AS verband
          FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.level = 'gemeinde' AND g.population > 0 ORDER BY g.ars LIMIT 1`);
      point = [rows[0]!.lon, rows[0]!.lat];
      gemeinde = rows[0]!.gemeinde;
      verband = rows[0]!.verband;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('shows who changed which offer fields from what to what, to the readers of the offer only', async () => {
      const created = await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { name: 'Verlauf vorher' }) });
      const id = created.json().id as number;
      const put = await coord({ method: 'PUT', url: `/api/offers/${id}`, headers: { 'if-match': created.headers.etag as string }, payload: offerFeature(...point, { name: 'Verlauf nachher' }) });
      expect(put.statusCode, put.body).toBe(200);
      const history = await entries(coord, `/api/history/offer/${id}`);
      expect(history.map((e) => e.action)).toEqual(['create', 'update']);
      expect(history[0]!.changes).toContainEqual({ field: 'name', from: null, to: 'Verlauf vorher' });
      // Only what changed: no version, no unchanged field.
      expect(history[1]!.changes).toEqual([{ field: 'name', from: 'Verlauf vorher', to: 'Verlauf nachher' }]);
      expect(history[1]!.actor).toBe('Demo Koordination');
      expect(Date.parse(history[1]!.at)).not.toBeNaN();
      expect(await entries(ministry, `/api/history/offer/${id}`)).toHaveLength(2);
      expect((await outsider({ url: `/api/history/offer/${id}` })).statusCode).toBe(403);
      expect((await partner({ url: `/api/history/offer/${id}` })).statusCode).toBe(403);
      expect((await coord({ url: '/api/history/offer/99999999' })).statusCode).toBe(404);
      expect((await coord({ url: `/api/history/users/${id}` })).statusCode).toBe(400);
      expect((await app.inject({ url: `/api/history/offer/${id}` })).statusCode).toBe(401);

      // A deleted offer keeps its history, for the same readers.
      await coord({ method: 'DELETE', url: `/api/offers/${id}`, headers: { 'if-match': put.headers.etag as string } });
      expect((await entries(coord, `/api/history/offer/${id}`)).map((e) => e.action)).toEqual(['create', 'update', 'delete']);
      expect((await outsider({ url: `/api/history/offer/${id}` })).statusCode).toBe(403);
    });

    it('writes a status set in the inbox (PUT) into the need history the partner sees, without the internal assignment', async () => {
      const reported = await partner({ method: 'POST', url: '/api/partner/needs', payload: { region_level: 'gemeinde', region_ars: gemeinde, kind: 'angebotsluecke', category: 'sprache', title: 'Verlauf-Meldung', priority: 'hoch' } });
      expect(reported.statusCode, reported.body).toBe(201);
      const id = reported.json().id as number;
      const need = await coord({ url: `/api/needs/${id}` });
      // As NeedStatusControl does: the whole need with a new status, If-Match with its version.
      const body = { region_level: 'gemeinde', region_ars: gemeinde, kind: 'angebotsluecke', category: 'sprache', title: 'Verlauf-Meldung', priority: 'hoch', status: 'in_bearbeitung', reported_by: need.json().properties.reported_by };
      const put = await coord({ method: 'PUT', url: `/api/needs/${id}`, headers: { 'if-match': need.headers.etag as string }, payload: body });
      expect(put.statusCode, put.body).toBe(200);
      const coordId = (await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'coordinator@demo.local'")).rows[0]!.id;
      const assign = await coord({ method: 'POST', url: `/api/needs/${id}/events`, headers: { 'if-match': put.headers.etag as string }, payload: { kind: 'assign', assigned_to: coordId } });
      expect(assign.statusCode, assign.body).toBe(201);
      await coord({ method: 'POST', url: `/api/needs/${id}/events`, payload: { kind: 'comment', text: 'Kurs ab Januar.' } });

      // The partner's own view and the inbox's activity list both show the status change.
      const mine = (await partner({ url: '/api/partner/needs' })).json().needs.find((n: { id: number }) => n.id === id);
      expect(mine.status).toBe('in_bearbeitung');
      expect(mine.history.map((e: { kind: string; from_value: string | null; to_value: string | null }) => [e.kind, e.from_value, e.to_value]))
        .toEqual([['status_change', 'neu', 'in_bearbeitung'], ['comment', null, null]]);
      const activity = (await coord({ url: `/api/needs/${id}/events` })).json();
      expect(activity.events.map((e: { kind: string }) => e.kind)).toEqual(['status_change', 'assign', 'comment']);

      // The Verlauf: the coordinator sees the assignment; the partner does not.
      const staff = await entries(coord, `/api/history/need/${id}`);
      expect(staff.map((e) => e.action)).toEqual(['create', 'update', 'update', 'comment']);
      expect(staff[1]!.changes).toContainEqual({ field: 'status', from: 'neu', to: 'in_bearbeitung' });
      expect(staff[2]!.changes).toContainEqual({ field: 'assigned_to', from: null, to: coordId });
      expect(staff[3]!.text).toBe('Kurs ab Januar.');
      const theirs = await entries(partner, `/api/history/need/${id}`);
      expect(theirs.map((e) => e.action)).toEqual(['create', 'update', 'comment']);
      expect(JSON.stringify(theirs)).not.toContain('assigned_to');
      expect((await otherPartner({ url: `/api/history/need/${id}` })).statusCode).toBe(403);
      expect((await outsider({ url: `/api/history/need/${id}` })).statusCode).toBe(403);
      expect((await partner({ url: '/api/history/need/99999999' })).statusCode).toBe(404);
    });

    it('shows an allocation unit\'s reports, each against the one before', async () => {
      for (const n of [3, 5]) {
        const res = await coord({ method: 'POST', url: `/api/regions/${verband}/capacity`, payload: report(n) });
        expect(res.statusCode, res.body).toBe(201);
      }
      const history = await entries(ministry, `/api/history/capacity/${verband}`);
      const [prev, last] = history.slice(-2);
      expect(prev!.actor).toBe('Demo Koordination');
      expect(last!.changes).toEqual([{ field: 'housing_free', from: 3, to: 5 }]);
      expect((await outsider({ url: `/api/history/capacity/${verband}` })).statusCode).toBe(403);
      expect((await partner({ url: `/api/history/capacity/${verband}` })).statusCode).toBe(403);
      expect((await coord({ url: '/api/history/capacity/999999999' })).statusCode).toBe(404);
    });

    it('reads a provider\'s history within the districts of its offers', async () => {
      const { rows } = await t.db.query<{ id: number }>(`
        SELECT p.id FROM providers p WHERE EXISTS (SELECT 1 FROM offers o WHERE o.provider_id = p.id) ORDER BY p.id LIMIT 1`);
      if (!rows[0]) return;
      const id = rows[0].id;
      await t.db.query(`INSERT INTO audit_log (user_id, actor, action, entity, entity_id, before, after)
        VALUES (NULL, 'import', 'update', 'provider', $1, '{"name":"Alt","phone":null}', '{"name":"Neu","phone":"0431 1"}')`, [String(id)]);
      const history = await entries(coord, `/api/history/provider/${id}`);
      expect(history.at(-1)!.changes).toEqual([{ field: 'name', from: 'Alt', to: 'Neu' }, { field: 'phone', from: null, to: '0431 1' }]);
      expect((await outsider({ url: `/api/history/provider/${id}` })).statusCode).toBe(403);
      expect((await partner({ url: `/api/history/provider/${id}` })).statusCode).toBe(403);
      expect((await coord({ url: '/api/history/provider/99999999' })).statusCode).toBe(404);
    });

    it('filters the audit log by user, entity, action and period, with paging and changes', async () => {
      const name = `Audit-Filter ${Date.now()}`;
      const res = await admin({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { name }) });
      const id = String(res.json().id);
      const byEntity = (await admin({ url: `/api/audit?entity=offer&entity_id=${id}` })).json();
      expect(byEntity.total).toBe(1);
      expect(byEntity.entries[0]).toMatchObject({ actor: 'admin@demo.local', action: 'create', entity: 'offer', entity_id: id });
      expect(byEntity.entries[0].changes).toContainEqual({ field: 'name', from: null, to: name });

      const adminId = byEntity.entries[0].user_id as number;
      const byUser = (await admin({ url: `/api/audit?user_id=${adminId}&limit=500` })).json();
      expect(byUser.entries.every((e: { user_id: number }) => e.user_id === adminId)).toBe(true);
      const byActor = (await admin({ url: '/api/audit?actor=KOORDINATOR&limit=500' })).json();
      expect(byActor.total).toBe(0);
      const coordEntries = (await admin({ url: '/api/audit?actor=coordinator%40demo&limit=500' })).json();
      expect(coordEntries.total).toBeGreaterThan(0);
      expect(coordEntries.entries.every((e: { actor: string }) => e.actor === 'coordinator@demo.local')).toBe(true);
      const logins = (await admin({ url: '/api/audit?action=login&limit=2' })).json();
      expect(logins.entries).toHaveLength(2);
      expect(logins.total).toBeGreaterThan(2);
      const page2 = (await admin({ url: '/api/audit?action=login&limit=2&offset=2' })).json();
      expect(page2.entries[0].id).not.toBe(logins.entries[0].id);
      const future = (await admin({ url: '/api/audit?from=2999-01-01T00:00:00Z' })).json();
      expect(future.total).toBe(0);
      const past = (await admin({ url: '/api/audit?to=2000-01-01T00:00:00Z' })).json();
      expect(past.total).toBe(0);
      expect((await admin({ url: '/api/audit?action=explode' })).statusCode).toBe(400);
      expect((await coord({ url: '/api/audit' })).statusCode).toBe(403);
    });

    it('exports the filtered audit log as CSV for Excel, every page, newest first', async () => {
      const res = await admin({ url: '/api/audit.csv?entity=offer' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-/);
      const text = res.body;
      expect(text.startsWith('\uFEFF')).toBe(true);
      const lines = text.slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toBe('id;at;actor;user_id;action;entity;entity_id;changes;request_id');
      const total = (await admin({ url: '/api/audit?entity=offer&limit=1' })).json().total as number;
      expect(lines.length - 1).toBe(total);
      expect(text).toContain('name: Verlauf vorher → Verlauf nachher');
      const ids = lines.slice(1).map((l) => Number(l.split(';')[0]));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect((await coord({ url: '/api/audit.csv' })).statusCode).toBe(403);
    });
  });
}
