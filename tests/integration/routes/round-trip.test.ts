import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { parseCsv } from '../../../core/src/csv.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { offerFeature } from '../../fixtures/offers.ts';

type Who = ReturnType<typeof as>;
type Feature = { type: 'Feature'; id: number; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Record<string, unknown> };

/** What a client may send back of a read offer: everything but the derived members. */
function writable(f: Feature) {
  const { id: _i, provider_name: _pn, region_key: _rk, region_name: _rn, version: _v, updated_at: _u, ...properties } = f.properties;
  return { type: 'Feature', geometry: f.geometry, properties };
}

// Round trips are the identity: reading a record and writing it back unchanged leaves the stored
// row, its version and the audit log as they were; the fields the form does not show survive.
for (const kind of BACKENDS) {
  describe(`round trips on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: Who;
    let point: [number, number];
    let gemeinde: string;
    let providerId: number;

    const row = async (table: 'offers' | 'needs', id: number) =>
      (await t.db.query<{ r: string }>(`SELECT x::text AS r FROM ${table} x WHERE id = $1`, [id])).rows[0]!.r;
    const audits = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n;

    async function getThenPut(table: 'offers' | 'needs', id: number, body: (f: Feature) => unknown) {
      const read = await coord({ url: `/api/${table}/${id}` });
      expect(read.statusCode).toBe(200);
      const [stored, entries] = [await row(table, id), await audits()];
      const put = await coord({ method: 'PUT', url: `/api/${table}/${id}`, headers: { 'if-match': read.headers.etag as string }, payload: body(read.json() as Feature) as object });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.headers.etag).toBe(read.headers.etag);
      expect(await row(table, id)).toBe(stored);
      expect(await audits()).toBe(entries);
      return put.json() as Feature;
    }

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      const { rows } = await t.db.query<{ lon: number; lat: number; ars: string }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat, ars FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY population DESC LIMIT 1");
      point = [rows[0]!.lon, rows[0]!.lat];
      gemeinde = rows[0]!.ars;
      providerId = (await t.db.query<{ id: number }>("INSERT INTO providers (name, city) VALUES ('Rundreise-Träger', 'Kiel') RETURNING id")).rows[0]!.id;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('keeps provider, external id and barrier-free "unknown" through GET then PUT, writing nothing', async () => {
      const created = await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { provider_id: providerId, external_id: 'RT-1', barrier_free: null }) });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as Feature).properties.id as number;
      const after = await getThenPut('offers', id, writable);
      expect(after.properties).toMatchObject({ provider_id: providerId, provider_name: 'Rundreise-Träger', external_id: 'RT-1', barrier_free: null, version: 1 });
      // Omitting optional fields equals their stored null: still nothing written.
      const read = (await coord({ url: `/api/offers/${id}` })).json() as Feature;
      await getThenPut('offers', id, (f) => { const w = writable(f); delete (w.properties as Record<string, unknown>).description; return w; });
      expect(read.properties.description).toBeNull();
    });

    it('still writes a real change: unknown to no is a new version with an audit entry, and stays "no"', async () => {
      const id = ((await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { barrier_free: null }) })).json() as Feature).properties.id as number;
      const read = await coord({ url: `/api/offers/${id}` });
      const entries = await audits();
      const body = writable(read.json() as Feature);
      const put = await coord({ method: 'PUT', url: `/api/offers/${id}`, headers: { 'if-match': read.headers.etag as string }, payload: { ...body, properties: { ...body.properties, barrier_free: false } } });
      expect(put.statusCode).toBe(200);
      expect((put.json() as Feature).properties).toMatchObject({ barrier_free: false, version: 2 });
      expect(await audits()).toBe(entries + 1);
      // An unchanged body under a stale ETag is still refused.
      expect((await coord({ method: 'PUT', url: `/api/offers/${id}`, headers: { 'if-match': read.headers.etag as string }, payload: body })).statusCode).toBe(412);
    });

    it('GET then PUT of generated offers changes nothing stored', async () => {
      const text = (max: number) => fc.option(fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() === s && s.trim() !== ''), { nil: null });
      const offer = fc.record({
        external_id: fc.option(fc.uuid(), { nil: null }),
        with_provider: fc.boolean(),
        description: text(40),
        street: text(30),
        contact_person: text(30),
        phone: fc.option(fc.constantFrom('0431 12345', '+49 (431) 9-8'), { nil: null }),
        website: fc.option(fc.constantFrom('https://example.org/a', 'http://x.de'), { nil: null }),
        languages: fc.uniqueArray(fc.constantFrom('de', 'en', 'ar', 'uk', 'fa'), { maxLength: 4 }),
        places: fc.option(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { nil: null }),
        barrier_free: fc.constantFrom(true, false, null),
        valid_to: fc.option(fc.constantFrom('2026-12-31', '2027-06-30'), { nil: null }),
        dx: fc.integer({ min: -1000, max: 1000 }),
      });
      await fc.assert(fc.asyncProperty(offer, async (o) => {
        const [total, free] = o.places ? [Math.max(...o.places), Math.min(...o.places)] : [null, null];
        const input = offerFeature(point[0] + o.dx * 1e-6, point[1], {
          external_id: o.external_id, provider_id: o.with_provider ? providerId : null, description: o.description, street: o.street, contact_person: o.contact_person,
          phone: o.phone, website: o.website, languages: o.languages as never, places_total: total, places_free: free,
          barrier_free: o.barrier_free, valid_to: o.valid_to,
        });
        const created = await coord({ method: 'POST', url: '/api/offers', payload: input });
        expect(created.statusCode, created.body).toBe(201);
        const id = (created.json() as Feature).properties.id as number;
        const after = await getThenPut('offers', id, writable);
        expect(after.properties).toMatchObject({ external_id: o.external_id, provider_id: o.with_provider ? providerId : null, barrier_free: o.barrier_free, contact_person: o.contact_person, version: 1 });
        await t.db.query('DELETE FROM offers WHERE id = $1', [id]);
      }), { numRuns: 12 });
    });

    it('GET then PUT of generated needs changes nothing stored', async () => {
      const need = fc.record({
        category: fc.constantFrom('sprache', null),
        kind: fc.constantFrom('angebotsluecke', 'information'),
        title: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        description: fc.option(fc.string({ maxLength: 60 }), { nil: null }),
        priority: fc.constantFrom('niedrig', 'mittel', 'hoch'),
        status: fc.constantFrom('neu', 'in_bearbeitung', 'erledigt'),
        reported_by: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: null }),
      });
      await fc.assert(fc.asyncProperty(need, async (n) => {
        const created = await coord({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: gemeinde, ...n } });
        expect(created.statusCode, created.body).toBe(201);
        const id = (created.json() as Feature).properties.id as number;
        await t.db.query("UPDATE needs SET external_id = 'N-' || id WHERE id = $1", [id]);
        const after = await getThenPut('needs', id, (f) => {
          const p = f.properties;
          return { region_level: p.region_level, region_ars: p.region_key, category: p.category, kind: p.kind, title: p.title, description: p.description, priority: p.priority, status: p.status, reported_by: p.reported_by };
        });
        expect(after.properties).toMatchObject({ external_id: `N-${id}`, version: 1 });
        await t.db.query('DELETE FROM need_events WHERE need_id = $1', [id]).catch(() => undefined);
        await t.db.query('DELETE FROM needs WHERE id = $1', [id]);
      }), { numRuns: 12 });
    });

    it('keeps barrier-free tri-state through CSV import and export: empty is unknown', async () => {
      const header = 'external_id;category;name;barrierefrei;Ansprechperson;lat;lon';
      const cells = ['', 'ja', 'nein', 'true', 'false', 'Nein'];
      const body = [header, ...cells.map((c, i) => `TRI-${i};sprache;Tri ${i};${c};Person ${i};${point[1]};${point[0]}`)].join('\n');
      const res = await coord({ method: 'POST', url: '/api/offers/import', headers: { 'content-type': 'text/csv; charset=utf-8' }, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      const stored = (await t.db.query<{ external_id: string; barrier_free: boolean | null }>("SELECT external_id, barrier_free FROM offers WHERE external_id LIKE 'TRI-%' ORDER BY external_id")).rows;
      expect(stored.map((r) => r.barrier_free)).toEqual([null, true, false, true, false, false]);
      const table = parseCsv((await coord({ url: '/api/export/offers.csv' })).body);
      const col = table.header.indexOf('barrier_free');
      const ext = table.header.indexOf('external_id');
      const tri = table.records.map((r) => r.cells).filter((r) => r[ext]?.startsWith('TRI-')).sort((a, b) => a[ext]!.localeCompare(b[ext]!));
      expect(tri.map((r) => r[col])).toEqual(['', 'true', 'false', 'true', 'false', 'false']);
      expect(tri.map((r) => r[table.header.indexOf('contact_person')])).toEqual(cells.map((_, i) => `Person ${i}`));
    });
  });
}
