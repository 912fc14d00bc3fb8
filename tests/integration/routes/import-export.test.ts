import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { BOM, parseCsv } from '../../../core/src/csv.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';
import { offerFeature } from '../../fixtures/offers.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';
import { IMPORT_LIMITS } from '../../../server/src/services/import-body.ts';

type Who = ReturnType<typeof as>;
type Report = { dry_run: boolean; rows: { row: number; line?: number; status: string; external_id: string | null; errors: { field: string; message: string }[] }[]; summary: Record<string, number> };

const geojson = (who: Who, features: unknown[], query = '') =>
  who({ method: 'POST', url: `/api/offers/import?${query}`, headers: { 'content-type': 'application/geo+json' }, payload: JSON.stringify({ type: 'FeatureCollection', features }) });
const csv = (who: Who, body: string | Buffer, query = '') =>
  who({ method: 'POST', url: `/api/offers/import?${query}`, headers: { 'content-type': 'text/csv; charset=utf-8' }, payload: body });
const cells = (text: string) => parseCsv(text).records.map((r) => r.cells);

for (const kind of BACKENDS) {
  describe(`offer import and layer export on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let admin: Who;
    let coord: Who;
    let analyst: Who;
    let g: { ars: string; ags: string; lon: number; lat: number };
    let margin: [number, number];

    /** Offers, the content of every row, and the import entries of the audit log. */
    async function snapshot() {
      const { rows } = await t.db.query<{ n: number; sum: string; imports: number }>(`
        SELECT (SELECT count(*)::int FROM offers) AS n,
               (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o.id), '')) FROM offers o) AS sum,
               (SELECT count(*)::int FROM audit_log WHERE action = 'import') AS imports`);
      return rows[0]!;
    }
    const offerBy = async (externalId: string) =>
      (await t.db.query<{ name: string; version: number; lon: number; lat: number; ars: string | null; languages: string[]; places_total: number | null; barrier_free: boolean | null; valid_from: string | null }>(`
        SELECT o.name, o.version, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat, r.ars, o.languages, o.places_total, o.barrier_free, o.valid_from
          FROM offers o LEFT JOIN regions r ON r.id = o.region_id WHERE o.external_id = $1`, [externalId])).rows[0];

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      admin = as(app, await login(app, 'admin'));
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
      const { rows } = await t.db.query<{ ars: string; ags: string; lon: number; lat: number }>(`
        SELECT ars, ags, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions
         WHERE level = 'gemeinde' AND population > 0 ORDER BY population DESC LIMIT 1`);
      g = rows[0]!;
      // West of the Kreis' bounding box, so in no Gemeinde, yet inside the 0.1° margin.
      const m = await t.db.query<{ lon: number; lat: number }>(`
        SELECT ST_XMin(e) - 0.05 AS lon, (ST_YMin(e) + ST_YMax(e)) / 2 AS lat
          FROM (SELECT ST_Extent(geom)::geometry AS e FROM regions WHERE level = 'kreis') x`);
      margin = [m.rows[0]!.lon, m.rows[0]!.lat];
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('reports a GeoJSON dry run per feature without writing, then imports it in one go', async () => {
      const demo = (await t.db.query<{ external_id: string; version: number }>('SELECT external_id, version FROM offers WHERE external_id IS NOT NULL ORDER BY id LIMIT 1')).rows[0]!;
      const features = [
        offerFeature(g.lon, g.lat, { external_id: 'geo-1' }),
        { ...offerFeature(g.lon, g.lat, { external_id: 'geo-2', name: 'Sprachcafé' }), id: 99, properties: { ...offerFeature(g.lon, g.lat).properties, external_id: 'geo-2', version: 4, region_key: 'x' } },
        offerFeature(g.lon, g.lat, { external_id: demo.external_id, name: 'Aktualisiert' }),
      ];
      const before = await snapshot();
      const dry = await admin({ method: 'POST', url: '/api/offers/import?dry_run=true', payload: { type: 'FeatureCollection', features } });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toEqual({
        dry_run: true,
        rows: [
          { row: 1, status: 'insert', external_id: 'geo-1', errors: [] },
          { row: 2, status: 'insert', external_id: 'geo-2', errors: [] },
          { row: 3, status: 'update', external_id: demo.external_id, errors: [] },
        ],
        summary: { insert: 2, update: 1, unchanged: 0, error: 0 },
      });
      expect(await snapshot()).toEqual(before);

      const real = await geojson(admin, features);
      expect(real.statusCode, real.body).toBe(200);
      expect(real.json()).toMatchObject({ dry_run: false, summary: { insert: 2, update: 1, unchanged: 0, error: 0 } });
      const after = await snapshot();
      expect(after).toMatchObject({ n: before.n + 2, imports: before.imports + 1 });
      expect(await offerBy(demo.external_id)).toMatchObject({ name: 'Aktualisiert', version: demo.version + 1, ars: g.ars });
      const audit = (await admin({ url: '/api/audit?action=import&limit=1' })).json();
      expect(audit.entries[0]).toMatchObject({ actor: 'admin@demo.local', entity: 'offer', after: { format: 'geojson', insert: 2, update: 1, unchanged: 0, error: 0 } });
    });

    it('imports comma-separated CSV with quoted commas, quotes, line breaks and lists', async () => {
      const text = [
        'external_id,name,category,subcategory,lat,lon,languages,target_groups,places_total,places_free,barrier_free,description',
        `csv-c-1,"Kurs, abends",sprache,integrationskurs,${g.lat},${g.lon},de|ar,"erwachsene,familien",20,5,true,"Er sagt ""Hallo""\nzweite Zeile"`,
        `csv-c-2,Beratung,beratung,mbe,${g.lat},${g.lon},,,,,nein,`,
      ].join('\r\n');
      const res = await csv(admin, text);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows.map((r: { line: number }) => r.line)).toEqual([2, 4]);
      expect(await offerBy('csv-c-1')).toMatchObject({ name: 'Kurs, abends', languages: ['de', 'ar'], places_total: 20, barrier_free: true, ars: g.ars });
      expect(await offerBy('csv-c-2')).toMatchObject({ barrier_free: false, languages: [] });
    });

    it('imports semicolon CSV with a BOM, decimal commas and German headers', async () => {
      const lat = '54,4001';
      const text = `${BOM}Kennung;Bezeichnung;Kategorie;Breitengrad;Längengrad;Sprachen;Plätze gesamt;Barrierefrei;Gültig ab\r\n` +
        `csv-s-1;Begegnungscafé Förde;ehrenamt_freizeit;${lat};${String(g.lon).replace('.', ',')};de,fa;12;ja;01.03.2026\r\n`;
      const res = await csv(admin, Buffer.from(text, 'utf8'));
      expect(res.statusCode, res.body).toBe(200);
      const o = (await offerBy('csv-s-1'))!;
      expect(o).toMatchObject({ name: 'Begegnungscafé Förde', languages: ['de', 'fa'], places_total: 12, barrier_free: true, valid_from: '2026-03-01' });
      expect(o.lat).toBeCloseTo(54.4001, 9);
      expect(o.lon).toBeCloseTo(g.lon, 9);
    });

    it('places a row given only an AGS at the Gemeinde label point, and names an unknown AGS', async () => {
      const text = `external_id;name;category;ags\ncsv-a-1;Hausarzt;gesundheit;${g.ags}\ncsv-a-2;Nirgendwo;gesundheit;01999999\n`;
      const dry = (await csv(admin, text, 'dry_run=true')).json() as Report;
      expect(dry.rows[1]).toEqual({ row: 2, line: 3, status: 'error', external_id: 'csv-a-2', errors: [{ field: 'ags', message: 'no Gemeinde with this AGS' }] });
      expect((await csv(admin, text.split('\n').slice(0, 2).join('\n'))).statusCode).toBe(200);
      expect(await offerBy('csv-a-1')).toMatchObject({ lon: g.lon, lat: g.lat, ars: g.ars });
    });

    it('updates on re-import by external id instead of duplicating; a row equal to its offer is unchanged and not written', async () => {
      const text = `external_id,name,category,lat,lon\ncsv-r-1,Erst,arbeit,${g.lat},${g.lon}\ncsv-r-2,Zweit,arbeit,${g.lat},${g.lon}\n`;
      expect((await csv(coord, text)).json().summary).toEqual({ insert: 2, update: 0, unchanged: 0, error: 0 });
      const before = await snapshot();
      const again = await csv(coord, text.replace('Erst', 'Erst geändert'));
      expect(again.json().rows.map((r: { status: string }) => r.status)).toEqual(['update', 'unchanged']);
      expect(again.json().summary).toEqual({ insert: 0, update: 1, unchanged: 1, error: 0 });
      expect((await snapshot())).toMatchObject({ n: before.n, imports: before.imports + 1 });
      expect(await offerBy('csv-r-1')).toMatchObject({ name: 'Erst geändert', version: 2 });
      expect(await offerBy('csv-r-2')).toMatchObject({ name: 'Zweit', version: 1 });
      // The same file once more changes nothing at all: no version, no audit entry.
      const unchanged = await snapshot();
      const third = await csv(coord, text.replace('Erst', 'Erst geändert'));
      expect(third.json().summary).toEqual({ insert: 0, update: 0, unchanged: 2, error: 0 });
      expect(await snapshot()).toEqual(unchanged);
    });

    it('refuses the whole file when one row is invalid, naming rows and fields, and writes nothing', async () => {
      const text = [
        'external_id;name;category;lat;lon;places_total;places_free;languages',
        `bad-1;Gut;sprache;${g.lat};${g.lon};5;1;de`,
        `bad-2;Zu viele;sprache;${g.lat};${g.lon};5;9;de`,
        `bad-3;Unbekannt;kochen;${g.lat};${g.lon};;;xx`,
        `bad-1;Doppelt;sprache;${g.lat};${g.lon};;;`,
      ].join('\n');
      const before = await snapshot();
      const res = await csv(admin, text);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const fields = res.json().errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['row 2: places_free', 'row 3: category', 'row 3: languages', 'row 4: external_id']));
      expect(fields.some((f: string) => f.startsWith('row 1:'))).toBe(false);
      expect(res.json().detail).toMatch(/3 of 4 rows are invalid/);
      expect(await snapshot()).toEqual(before);
      const dry = (await csv(admin, text, 'dry_run=true')).json() as Report;
      expect(dry.summary).toEqual({ insert: 1, update: 0, unchanged: 0, error: 3 });
      expect(dry.rows[1]!.errors).toEqual([{ field: 'places_free', message: 'must not exceed places_total' }]);
    });

    it('refuses invalid UTF-8, a malformed file and an unusable header with 400', async () => {
      const before = await snapshot();
      const latin1 = Buffer.concat([Buffer.from(`name,category,lat,lon\nK`), Buffer.from([0xf6]), Buffer.from(`ln,sprache,${g.lat},${g.lon}\n`)]);
      const bad = await csv(admin, latin1);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().detail).toMatch(/not valid UTF-8 \(line 2\)/);
      const open = await csv(admin, `name,category,lat,lon\n"Kurs,sprache,1,2\n`);
      expect(open.statusCode).toBe(400);
      expect(open.json().errors).toEqual([{ field: 'line 2', message: 'a quoted cell is not closed' }]);
      const header = await csv(admin, `name;kategorie;farbe\nx;sprache;rot\n`);
      expect(header.statusCode).toBe(400);
      expect(header.json().errors.map((e: { field: string }) => e.field)).toEqual(['farbe', 'lat/lon']);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses too many rows and too large a body with 413 naming the limit', async () => {
      const rows = `name,category,ags\n${'x,sprache,01001000\n'.repeat(IMPORT_LIMITS.maxRows + 1)}`;
      const many = await csv(admin, rows, 'dry_run=true');
      expect(many.statusCode).toBe(413);
      expect(many.json().detail).toContain(String(IMPORT_LIMITS.maxRows));
      const features = await geojson(admin, Array.from({ length: IMPORT_LIMITS.maxRows + 1 }, () => ({})), 'dry_run=true');
      expect(features.statusCode).toBe(413);
      const huge = await csv(admin, `name,category,ags\n${'x'.repeat(IMPORT_LIMITS.maxBodyBytes)}`);
      expect(huge.statusCode).toBe(413);
      expect(huge.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('applies the coordinator scope per row, for new positions and for offers updated by external id', async () => {
      const outside = offerFeature(...margin, { external_id: 'scope-1' });
      const asCoord = (await geojson(coord, [outside, offerFeature(g.lon, g.lat, { external_id: 'scope-2' })], 'dry_run=true')).json() as Report;
      expect(asCoord.rows[0]).toMatchObject({ status: 'error', errors: [{ field: '/geometry/coordinates', message: 'lies outside the districts you may edit' }] });
      expect(asCoord.rows[1]!.status).toBe('insert');
      expect(((await geojson(admin, [outside], 'dry_run=true')).json() as Report).rows[0]!.status).toBe('insert');

      await addUser(t.db, { email: 'nodistrict@demo.local', password: 'demo', role: 'coordinator' }, false);
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nodistrict@demo.local', password: 'demo' } });
      const cookie = `ilk_session=${res.cookies.find((c) => c.name === 'ilk_session')!.value}`;
      const stranger = as(app, { cookie, csrf: res.json().csrf_token, headers: { cookie, 'x-csrf-token': res.json().csrf_token } } satisfies Session);
      const before = await snapshot();
      const refused = await geojson(stranger, [offerFeature(g.lon, g.lat, { external_id: 'geo-1' })]);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['row 1: /geometry/coordinates', 'row 1: /properties/external_id']);
      expect(await snapshot()).toEqual(before);
    });

    it('exports offers as GeoJSON equal to the layer and as CSV with the same rows, under every filter', async () => {
      for (const query of ['', 'category=sprache,beratung', `region=${g.ars}`, 'q=kurs&with_free_places=true']) {
        const layer = (await analyst({ url: `/api/offers?${query}` })).json() as FeatureCollection<Point>;
        const geo = await analyst({ url: `/api/export/offers.geojson?${query}` });
        expect(geo.statusCode).toBe(200);
        expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
        expect(geo.headers['content-disposition']).toMatch(/^attachment; filename="offers-\d{4}-\d{2}-\d{2}\.geojson"$/);
        expect(geo.json()).toEqual(layer);

        const res = await analyst({ url: `/api/export/offers.csv?${query}` });
        expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="offers-\d{4}-\d{2}-\d{2}\.csv"$/);
        expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const table = parseCsv(res.body);
        expect(table.delimiter).toBe(';');
        const col = (name: string) => table.header.indexOf(name);
        expect(table.records.map((r) => Number(r.cells[col('id')]))).toEqual(layer.features.map((f) => f.id));
        table.records.forEach((r, i) => {
          const f = layer.features[i]!;
          expect([r.cells[col('lon')], r.cells[col('lat')]]).toEqual(f.geometry.coordinates.map((c) => String(c).replace('.', ',')));
          expect(r.cells[col('languages')]).toBe((f.properties!.languages as string[]).join('|'));
        });
      }
      expect((await analyst({ url: '/api/export/offers.csv?category=unknown' })).json().errors[0].field).toBe('category');
    });

    it('exports needs and regions under the layer filters', async () => {
      for (const query of ['', 'status=neu', `region=${g.ars.slice(0, 5)}0000000`]) {
        const layer = (await analyst({ url: `/api/needs?${query}` })).json() as FeatureCollection;
        expect((await analyst({ url: `/api/export/needs.geojson?${query}` })).json()).toEqual(layer);
        const rows = cells((await analyst({ url: `/api/export/needs.csv?${query}` })).body);
        expect(rows.map((r) => Number(r[0]))).toEqual(layer.features.map((f) => f.id));
      }
      const verband = (await t.db.query<{ ars: string }>("SELECT p.ars FROM regions r JOIN regions p ON p.id = r.parent_id WHERE r.level = 'gemeinde' AND r.ars = $1", [g.ars])).rows[0]!.ars;
      for (const query of ['level=kreis', 'level=gemeinde', `level=gemeinde&parent=${verband}`]) {
        const layer = (await analyst({ url: `/api/regions?${query}` })).json() as FeatureCollection;
        const geo = await analyst({ url: `/api/export/regions.geojson?${query}` });
        // The export is the layer flat: same features and geometry, nested figures as columns.
        const flat = geo.json() as FeatureCollection;
        expect(flat.features.map((f) => [f.id, f.geometry])).toEqual(layer.features.map((f) => [f.id, f.geometry]));
        flat.features.forEach((f, i) => {
          const p = layer.features[i]!.properties!;
          const cap = p.capacity as Record<string, unknown> | null;
          expect(f.properties).toMatchObject({
            key: p.key, name: p.name, population: p.population, offers_total: p.offers_total, open_needs: p.open_needs,
            refugees_per_1000: p.refugees_per_1000, label_lon: (p.label_point as number[])[0], label_lat: (p.label_point as number[])[1],
            capacity_report_date: cap?.report_date ?? null, capacity_housing_free: cap?.housing_free ?? null,
            offers_sprache: (p.offers_by_category as Record<string, number>).sprache ?? 0,
          });
          for (const v of Object.values(f.properties!)) expect(typeof v === 'object' && v !== null, String(v)).toBe(false);
        });
        const csvRes = await analyst({ url: `/api/export/regions.csv?${query}` });
        expect(csvRes.headers['content-disposition']).toMatch(/filename="regions-(kreis|gemeinde)-\d{4}-\d{2}-\d{2}\.csv"/);
        const table = parseCsv(csvRes.body);
        expect(table.records.map((r) => r.cells[0])).toEqual(layer.features.map((f) => f.id));
        const first = layer.features[0] as Feature;
        const row = table.records[0]!.cells;
        expect(row[table.header.indexOf('offers_total')]).toBe(String(first.properties!.offers_total));
        expect(row[table.header.indexOf('name')]).toBe(first.properties!.name);
      }
      expect((await analyst({ url: '/api/export/regions.csv?level=gemeinde&parent=019999999999' })).statusCode).toBe(404);
    });

    it('neutralises formulas in exported CSV text cells', async () => {
      const name = '=HYPERLINK("http://evil.example","klick")';
      expect((await admin({ method: 'POST', url: '/api/offers', payload: offerFeature(g.lon, g.lat, { name, external_id: 'formula-1', phone: '+49 431 1234' }) })).statusCode).toBe(201);
      const res = await analyst({ url: '/api/export/offers.csv?q=HYPERLINK' });
      expect(res.body).toContain(`;"'=HYPERLINK(""http://evil.example"",""klick"")";`);
      const table = parseCsv(res.body);
      const row = table.records[0]!.cells;
      expect(row[table.header.indexOf('name')]).toBe(`'${name}`);
      expect(row[table.header.indexOf('phone')]).toBe("'+49 431 1234");
      expect(row[table.header.indexOf('places_total')]).toBe('20');
    });

    it('round-trips: an export imported again finds every row unchanged and writes nothing (CSV and GeoJSON)', async () => {
      const n = (await snapshot()).n;
      const exported = await analyst({ url: '/api/export/offers.csv' });
      const dry = (await csv(admin, exported.rawPayload, 'dry_run=true')).json() as Report;
      expect(dry.summary).toEqual({ insert: 0, update: 0, unchanged: n, error: 0 });
      const exportedGeo = (await analyst({ url: '/api/export/offers.geojson' })).json() as FeatureCollection;
      const dryGeo = (await geojson(admin, exportedGeo.features, 'dry_run=true')).json() as Report;
      expect(dryGeo.summary).toEqual({ insert: 0, update: 0, unchanged: n, error: 0 });

      // Every stored column (version and updated_at included) and the audit log stay as they were.
      const before = await snapshot();
      const real = await csv(admin, exported.rawPayload);
      expect(real.statusCode, real.body).toBe(200);
      expect((real.json() as Report).rows.every((r) => r.status === 'unchanged')).toBe(true);
      expect(await snapshot()).toEqual(before);
      expect((await geojson(admin, exportedGeo.features)).statusCode).toBe(200);
      expect(await snapshot()).toEqual(before);
    });
  });
}
