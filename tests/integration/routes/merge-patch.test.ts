import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';
import { offerFeature } from '../../fixtures/offers.ts';

const MERGE_PATCH = 'application/merge-patch+json';
type Who = ReturnType<typeof as>;

// PATCH applies an RFC 7396 merge patch to the document GET returns, validates the result as PUT
// would, and writes it through PUT's path (If-Match, scope, audit, "unchanged writes nothing").
for (const kind of BACKENDS) {
  describe(`merge patch on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: Who;
    let analyst: Who;
    let admin: Who;
    let outsider: Who;
    let point: [number, number];
    let gemeinde: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
      admin = as(app, await login(app, 'admin'));
      // A coordinator of a Kreis not in this database: may neither read nor edit the demo district.
      await addUser(t.db, { email: 'k.meier@kreis-rz.example', password: 'Wolken über der Elbe 7', role: 'coordinator', districts: ['010530000000'] });
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'k.meier@kreis-rz.example', password: 'Wolken über der Elbe 7' } });
      const cookie = `ilk_session=${res.cookies.find((c) => c.name === 'ilk_session')!.value}`;
      outsider = as(app, { cookie, csrf: res.json().csrf_token, headers: { cookie, 'x-csrf-token': res.json().csrf_token } });
      const { rows } = await t.db.query<{ lon: number; lat: number; ars: string }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat, ars FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY population DESC LIMIT 1");
      point = [rows[0]!.lon, rows[0]!.lat];
      gemeinde = rows[0]!.ars;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const patch = (who: Who, url: string, body: unknown, etag?: string, type = MERGE_PATCH) =>
      who({ method: 'PATCH', url, headers: { 'content-type': type, ...(etag ? { 'if-match': etag } : {}) }, payload: JSON.stringify(body) });
    const read = async (url: string) => {
      const res = await coord({ url });
      expect(res.statusCode).toBe(200);
      return { doc: res.json(), etag: res.headers.etag as string };
    };
    const newOffer = async (overrides = {}) => {
      const res = await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { description: 'Abendkurs', ...overrides }) });
      expect(res.statusCode).toBe(201);
      return `/api/offers/${res.json().id}`;
    };
    const newNeed = async () => {
      const res = await coord({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: gemeinde, category: 'sprache', kind: 'angebotsluecke', title: 'Kein Kurs am Abend', description: 'seit Mai', priority: 'hoch', reported_by: 'Beratungsstelle' } });
      expect(res.statusCode).toBe(201);
      return `/api/needs/${res.json().id}`;
    };
    /** The document without what every write changes. */
    const stable = (doc: { properties: Record<string, unknown> }) => {
      const { version: _v, updated_at: _u, ...properties } = doc.properties;
      return { ...doc, properties };
    };

    it('changes one field of an offer and keeps every other', async () => {
      const url = await newOffer();
      const before = await read(url);
      const res = await patch(coord, url, { properties: { places_free: 2 } }, before.etag);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const after = await read(url);
      expect(res.headers.etag).toBe(after.etag);
      expect(after.doc.properties.version).toBe(before.doc.properties.version + 1);
      expect(stable(after.doc)).toEqual(stable({ ...before.doc, properties: { ...before.doc.properties, places_free: 2 } }));
      expect(res.json()).toEqual(after.doc);
    });

    it('null removes an optional field; arrays replace; the geometry merges', async () => {
      const url = await newOffer();
      const before = await read(url);
      const [lon, lat] = before.doc.geometry.coordinates as [number, number];
      const moved: [number, number] = [Number((lon + 0.001).toFixed(6)), lat];
      const res = await patch(coord, url, { properties: { description: null, languages: ['de'] }, geometry: { coordinates: moved } }, before.etag);
      expect(res.statusCode).toBe(200);
      const after = await read(url);
      expect(after.doc.properties.description).toBeNull();
      expect(after.doc.properties.languages).toEqual(['de']);
      expect(after.doc.geometry).toEqual({ type: 'Point', coordinates: moved });
      expect(stable(after.doc).properties).toEqual({ ...stable(before.doc).properties, description: null, languages: ['de'], region_key: after.doc.properties.region_key, region_name: after.doc.properties.region_name });
    });

    it('a patch that changes nothing writes nothing', async () => {
      const url = await newOffer();
      const before = await read(url);
      const res = await patch(coord, url, { properties: { name: before.doc.properties.name, places_free: before.doc.properties.places_free } }, before.etag);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe(before.etag);
      expect((await read(url)).doc).toEqual(before.doc);
      const log = (await admin({ url: `/api/audit?entity=offer&entity_id=${before.doc.id}` })).json();
      expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['create']);
    });

    it('requires If-Match (428), refuses a stale one (412), and writes nothing then', async () => {
      const url = await newOffer();
      const first = await read(url);
      expect((await patch(coord, url, { properties: { name: 'ohne' } })).statusCode).toBe(428);
      expect((await patch(coord, url, { properties: { name: 'Erste' } }, first.etag)).statusCode).toBe(200);
      const stale = await patch(coord, url, { properties: { name: 'Zweite' } }, first.etag);
      expect(stale.statusCode).toBe(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await read(url)).doc.properties.name).toBe('Erste');
    });

    it('names the field as the client wrote it: read-only, unknown, wrong type, required removed', async () => {
      const url = await newOffer();
      const before = await read(url);
      const cases: [unknown, string, RegExp][] = [
        [{ properties: { region_name: 'Anderswo' } }, '/properties/region_name', /read-only/],
        [{ properties: { version: 9 } }, '/properties/version', /read-only/],
        [{ id: 5 }, '/id', /read-only/],
        [{ properties: { nmae: 'Tippfehler' } }, '/properties/nmae', /not a known field/],
        [{ properties: { places_free: '3' } }, '/properties/places_free', /integer/],
        [{ properties: { places_free: true } }, '/properties/places_free', /integer/],
        [{ properties: { name: null } }, '/properties/name', /required/],
        [{ geometry: { coordinates: ['9.8', '54.3'] } }, '/geometry/coordinates/0', /number/],
      ];
      for (const [body, field, message] of cases) {
        const res = await patch(coord, url, body, before.etag);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const error = res.json().errors.find((e: { field: string }) => e.field === field);
        expect(error, `${JSON.stringify(body)}: ${res.body}`).toBeDefined();
        expect(error.message).toMatch(message);
      }
      expect((await read(url)).doc).toEqual(before.doc);
    });

    it('takes application/merge-patch+json only (415 names it), parsed as strictly as JSON', async () => {
      const url = await newOffer();
      const before = await read(url);
      for (const type of ['application/json', 'text/plain']) {
        const res = await patch(coord, url, { properties: { name: 'x' } }, before.etag, type);
        expect(res.statusCode, type).toBe(415);
        expect(res.json().accepted).toEqual([MERGE_PATCH]);
        expect(res.headers['accept-patch']).toBe(MERGE_PATCH);
      }
      const broken = await coord({ method: 'PATCH', url, headers: { 'content-type': MERGE_PATCH, 'if-match': before.etag }, payload: '{"properties": {' });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().errors[0].field).toBe('/');
      const latin1 = await coord({ method: 'PATCH', url, headers: { 'content-type': MERGE_PATCH, 'if-match': before.etag }, payload: Buffer.from('{"properties":{"city":"K\xf6ln"}}', 'latin1') });
      expect(latin1.statusCode).toBe(400);
      // POST and PUT still refuse the merge-patch type.
      expect((await coord({ method: 'PUT', url, headers: { 'content-type': MERGE_PATCH, 'if-match': before.etag }, payload: JSON.stringify(before.doc) })).statusCode).toBe(415);
      expect((await read(url)).doc).toEqual(before.doc);
    });

    it('scopes like PUT: analysts and coordinators of other districts may not patch', async () => {
      const url = await newOffer();
      const before = await read(url);
      expect((await patch(analyst, url, { properties: { name: 'x' } }, before.etag)).statusCode).toBe(403);
      expect((await patch(outsider, url, { properties: { name: 'x' } }, before.etag)).statusCode).toBe(403);
      const needUrl = await newNeed();
      const need = await read(needUrl);
      expect((await patch(outsider, needUrl, { properties: { status: 'erledigt' } }, need.etag)).statusCode).toBe(403);
      expect((await read(url)).doc).toEqual(before.doc);
      expect((await read(needUrl)).doc).toEqual(need.doc);
      expect((await patch(coord, '/api/offers/999999999', { properties: { name: 'x' } }, '"offer-999999999-v1"')).statusCode).toBe(404);
    });

    it('writes an audit entry like PUT', async () => {
      const url = await newOffer({ name: 'Vorher' });
      const before = await read(url);
      await patch(coord, url, { properties: { name: 'Nachher' } }, before.etag);
      const log = (await admin({ url: `/api/audit?entity=offer&entity_id=${before.doc.id}` })).json();
      const [update] = log.entries;
      expect(update).toMatchObject({ action: 'update', actor: 'coordinator@demo.local' });
      expect(update.before.properties.name).toBe('Vorher');
      expect(update.after.properties.name).toBe('Nachher');
    });

    it('changes one field of a need; null removes; the region is region_key; audit and status event written', async () => {
      const url = await newNeed();
      const before = await read(url);
      const res = await patch(coord, url, { properties: { status: 'in_bearbeitung' } }, before.etag);
      expect(res.statusCode).toBe(200);
      const after = await read(url);
      expect(stable(after.doc)).toEqual(stable({ ...before.doc, properties: { ...before.doc.properties, status: 'in_bearbeitung' } }));
      expect(after.doc.properties.version).toBe(before.doc.properties.version + 1);

      const removed = await patch(coord, url, { properties: { description: null, reported_by: null } }, after.etag);
      expect(removed.statusCode).toBe(200);
      expect(removed.json().properties).toMatchObject({ description: null, reported_by: null, status: 'in_bearbeitung', title: 'Kein Kurs am Abend', priority: 'hoch' });

      const events = (await coord({ url: `${url}/events` })).json();
      expect(JSON.stringify(events)).toContain('in_bearbeitung');
      const log = (await admin({ url: `/api/audit?entity=need&entity_id=${before.doc.id}` })).json();
      expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);

      const current = await read(url);
      const cases: [unknown, string][] = [
        [{ properties: { region_name: 'x' } }, '/properties/region_name'],
        [{ properties: { external_id: 'x' } }, '/properties/external_id'],
        [{ geometry: { coordinates: [9, 54] } }, '/geometry'],
        [{ properties: { region_key: 'abc' } }, '/properties/region_key'],
        [{ properties: { title: null } }, '/properties/title'],
        [{ properties: { priority: 'dringend' } }, '/properties/priority'],
      ];
      for (const [body, field] of cases) {
        const bad = await patch(coord, url, body, current.etag);
        expect(bad.statusCode, JSON.stringify(body)).toBe(400);
        expect(bad.json().errors.map((e: { field: string }) => e.field), bad.body).toContain(field);
      }
      expect((await patch(coord, url, { properties: { status: 'erledigt' } })).statusCode).toBe(428);
      expect((await patch(coord, url, { properties: { status: 'erledigt' } }, before.etag)).statusCode).toBe(412);
      expect((await read(url)).doc).toEqual(current.doc);
    });

    it('changes one field of a provider, with GET, PUT and PATCH scoped to the districts it has offers in', async () => {
      const { rows } = await t.db.query<{ id: number }>('SELECT provider_id AS id FROM offers WHERE provider_id IS NOT NULL ORDER BY provider_id LIMIT 1');
      const url = `/api/providers/${rows[0]!.id}`;
      const before = await read(url);
      expect(before.etag).toBe(`"provider-${rows[0]!.id}-v${before.doc.version}"`);
      const res = await patch(coord, url, { phone: '04321 12345' }, before.etag);
      expect(res.statusCode, res.body).toBe(200);
      const after = await read(url);
      expect(res.headers.etag).toBe(after.etag);
      const { version: _v, updated_at: _u, ...was } = before.doc;
      const { version, updated_at: _u2, ...now } = after.doc;
      expect(now).toEqual({ ...was, phone: '04321 12345' });
      expect(version).toBe(before.doc.version + 1);

      // null removes; a patch changing nothing writes nothing; PUT stays a whole replacement.
      const removed = await patch(coord, url, { phone: null }, after.etag);
      expect(removed.json().phone).toBeNull();
      const same = await patch(coord, url, { name: before.doc.name }, removed.headers.etag as string);
      expect(same.headers.etag).toBe(removed.headers.etag);
      const put = await coord({ method: 'PUT', url, headers: { 'if-match': removed.headers.etag as string }, payload: { name: before.doc.name } });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ name: before.doc.name, city: null, street: null, email: null });
      const etag = put.headers.etag as string;

      for (const [body, field] of [[{ version: 1 }, '/version'], [{ external_id: 'x' }, '/external_id'], [{ postcode: '123' }, '/postcode'], [{ name: null }, '/name'], [{ nmae: 'x' }, '/nmae']] as const) {
        const bad = await patch(coord, url, body, etag);
        expect(bad.statusCode, JSON.stringify(body)).toBe(400);
        expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await patch(coord, url, { city: 'Kiel' })).statusCode).toBe(428);
      expect((await patch(coord, url, { city: 'Kiel' }, before.etag)).statusCode).toBe(412);
      expect((await patch(coord, url, { city: 'Kiel' }, etag, 'application/json')).statusCode).toBe(415);
      expect((await patch(analyst, url, { city: 'Kiel' }, etag)).statusCode).toBe(403);
      expect((await patch(outsider, url, { city: 'Kiel' }, etag)).statusCode).toBe(403);
      expect((await outsider({ url })).statusCode).toBe(403);
      expect((await read(url)).etag).toBe(etag);

      const log = (await admin({ url: `/api/audit?entity=provider&entity_id=${before.doc.id}` })).json();
      expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'update']);
      expect(log.entries[2].before.phone).toBe(before.doc.phone);
      expect(log.entries[2].after.phone).toBe('04321 12345');

      // A provider with neither offers nor networks lies in no district: admins only.
      const lone = (await t.db.query<{ id: number }>("INSERT INTO providers (name) VALUES ('Ohne Angebote') RETURNING id")).rows[0]!.id;
      expect((await coord({ url: `/api/providers/${lone}` })).statusCode).toBe(403);
      const adminRead = await admin({ url: `/api/providers/${lone}` });
      expect(adminRead.statusCode).toBe(200);
      expect((await patch(admin, `/api/providers/${lone}`, { city: 'Kiel' }, adminRead.headers.etag as string)).json().city).toBe('Kiel');
      expect((await coord({ url: '/api/providers/999999999' })).statusCode).toBe(404);
    });
  });
}
