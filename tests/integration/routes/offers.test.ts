import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection, Point } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { offerFeature } from '../../fixtures/offers.ts';

for (const kind of BACKENDS) {
  describe(`offers on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let analyst: ReturnType<typeof as>;
    let point: [number, number];
    let gemeinde: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      // Small pages, so the streaming test below spans several of them.
      app = await buildTestApp(t.db, { LAYER_PAGE_SIZE: '2000' });
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
      const { rows } = await t.db.query<{ lon: number; lat: number; ars: string }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat, ars FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY population DESC LIMIT 1");
      point = [rows[0]!.lon, rows[0]!.lat];
      gemeinde = rows[0]!.ars;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('serves the layer as RFC 7946 GeoJSON built in SQL, with 6 decimals', async () => {
      const res = await analyst({ url: '/api/offers' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const fc = res.json() as FeatureCollection<Point>;
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM offers');
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(rows[0]!.n);
      const f = fc.features[0]!;
      expect(f.geometry.type).toBe('Point');
      for (const c of f.geometry.coordinates) expect(String(c).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(6);
      expect(Object.keys(f.properties!)).toEqual(expect.arrayContaining(['category', 'name', 'languages', 'places_free', 'region_key', 'version']));
    });

    it('streams a layer larger than one page without losing or repeating features', async () => {
      // The page size is 2,000: add enough offers to need three pages.
      await t.db.query(`INSERT INTO offers (category_key, name, geom)
        SELECT 'ehrenamt_freizeit', 'Seite ' || i, ST_SetSRID(ST_MakePoint($1 + i * 1e-7, $2), 4326) FROM generate_series(1, 4500) i`, point);
      const fc = (await analyst({ url: '/api/offers?category=ehrenamt_freizeit' })).json() as FeatureCollection;
      const ids = fc.features.map((f) => f.id as number);
      expect(new Set(ids).size).toBe(ids.length);
      const { rows } = await t.db.query<{ n: number }>("SELECT count(*) AS n FROM offers WHERE category_key = 'ehrenamt_freizeit'");
      expect(ids).toHaveLength(rows[0]!.n);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      await t.db.query("DELETE FROM offers WHERE name LIKE 'Seite %'");
    });

    it('filters by category, bbox, text and region, and counts per category under the same filter', async () => {
      const all = (await analyst({ url: '/api/offers' })).json() as FeatureCollection<Point>;
      const sprache = (await analyst({ url: '/api/offers?category=sprache' })).json() as FeatureCollection;
      expect(sprache.features.length).toBe(all.features.filter((f) => f.properties!.category === 'sprache').length);
      const [lon, lat] = point;
      const bbox = [lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05];
      const inBox = (await analyst({ url: `/api/offers?bbox=${bbox.join(',')}` })).json() as FeatureCollection<Point>;
      const expected = all.features.filter((f) => { const [x, y] = f.geometry.coordinates as [number, number]; return x >= bbox[0]! && x <= bbox[2]! && y >= bbox[1]! && y <= bbox[3]!; });
      expect(inBox.features.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
      const region = (await analyst({ url: `/api/offers?region=${gemeinde}` })).json() as FeatureCollection;
      expect(region.features.length).toBeGreaterThan(0);
      for (const f of region.features) expect(f.properties!.region_key).toBe(gemeinde);
      const name = all.features[0]!.properties!.name as string;
      const q = (await analyst({ url: `/api/offers?q=${encodeURIComponent(name.slice(0, 8).toUpperCase())}` })).json() as FeatureCollection;
      expect(q.features.map((f) => f.id)).toContain(all.features[0]!.id);
      const counts = (await analyst({ url: '/api/offers/counts' })).json() as Record<string, number>;
      expect(counts.sprache).toBe(sprache.features.length);
    });

    it('filters by free places, language, target group, barrier-free access and subcategory, as the table says', async () => {
      const sub = (await t.db.query<{ key: string }>('SELECT subcategory_key AS key FROM offers WHERE subcategory_key IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1')).rows[0]!.key;
      // The demo states barrier-free access for every offer: two that do not.
      for (const name of ['Ohne Angabe 1', 'Ohne Angabe 2']) {
        expect((await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { name, barrier_free: null, target_groups: ['kinder'] }) })).statusCode).toBe(201);
      }
      // Each filter against its own SQL, written independently of OFFER_WHERE.
      const cases: [string, string, unknown[]][] = [
        ['min_free_places=3', 'places_free >= 3', []],
        ['with_free_places=true&min_free_places=2', 'places_free >= 2', []],
        ['language=ar,uk', "'ar' = ANY(languages) OR 'uk' = ANY(languages)", []],
        ['target_group=kinder,frauen', "'kinder' = ANY(target_groups) OR 'frauen' = ANY(target_groups)", []],
        ['barrier_free=true', 'barrier_free', []],
        ['barrier_free=false', 'NOT barrier_free', []],
        ['barrier_free=unknown', 'barrier_free IS NULL', []],
        [`subcategory=${sub}`, 'subcategory_key = $1', [sub]],
        ['category=sprache&language=ar&barrier_free=true&min_free_places=1', "category_key = 'sprache' AND 'ar' = ANY(languages) AND barrier_free AND places_free >= 1", []],
      ];
      for (const [query, where, params] of cases) {
        const expected = (await t.db.query<{ id: number }>(`SELECT id FROM offers WHERE ${where} ORDER BY id`, params)).rows.map((r) => Number(r.id));
        expect(expected.length, query).toBeGreaterThan(0);
        const fc = (await analyst({ url: `/api/offers?${query}` })).json() as FeatureCollection;
        expect(fc.features.map((f) => f.id), query).toEqual(expected);
        const counts = (await analyst({ url: `/api/offers/counts?${query}` })).json() as Record<string, number>;
        expect(Object.values(counts).reduce((a, b) => a + b, 0), query).toBe(expected.length);
      }
      const all = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM offers')).rows[0]!.n;
      const tri = await Promise.all(['true', 'false', 'unknown'].map(async (v) => ((await analyst({ url: `/api/offers?barrier_free=${v}` })).json() as FeatureCollection).features.length));
      expect(tri.reduce((a, b) => a + b, 0)).toBe(all);
    });

    it('treats LIKE wildcards in q as text and rejects malformed filters naming the parameter', async () => {
      expect(((await analyst({ url: '/api/offers?q=%25%25' })).json() as FeatureCollection).features).toHaveLength(0);
      for (const [query, field] of [['bbox=11,54,10,53', 'bbox'], ['bbox=1,2,3', 'bbox'], ['bbox=0,0,200,10', 'bbox'], ['category=unknown', 'category'], ["category=sprache';DROP", 'category'], ['limit=5', 'limit'],
        ['min_free_places=0', 'min_free_places'], ['min_free_places=two', 'min_free_places'], ['language=xx', 'language'], ['language=de,ARA', 'language'],
        ['target_group=senioren', 'target_group'], ['barrier_free=maybe', 'barrier_free'], ['subcategory=kein_solches', 'subcategory']] as const) {
        const res = await analyst({ url: `/api/offers?${query}` });
        expect(res.statusCode, query).toBe(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(res.json().errors.map((e: { field: string }) => e.field), query).toContain(field);
      }
    });

    it('answers a conditional GET with 304 until the layer changes, and compresses', async () => {
      const first = await analyst({ url: '/api/offers?category=beratung' });
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"/);
      const again = await analyst({ url: '/api/offers?category=beratung', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const gz = await analyst({ url: '/api/offers', headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(gz.rawPayload).toString()).type).toBe('FeatureCollection');
      await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { category: 'beratung', subcategory: 'mbe' }) });
      const changed = await analyst({ url: '/api/offers?category=beratung', headers: { 'if-none-match': etag } });
      expect(changed.statusCode).toBe(200);
    });

    it('creates, reads, updates with If-Match and deletes an offer, deriving its Gemeinde', async () => {
      const created = await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point) });
      expect(created.statusCode).toBe(201);
      const offer = created.json();
      expect(offer.properties).toMatchObject({ name: 'Integrationskurs am Abend', region_key: gemeinde, version: 1, languages: ['de', 'ar', 'uk'] });
      expect(created.headers.location).toBe(`/api/offers/${offer.id}`);
      const read = await analyst({ url: `/api/offers/${offer.id}` });
      expect(read.headers.etag).toBe(`"offer-${offer.id}-v1"`);

      const put = await coord({ method: 'PUT', url: `/api/offers/${offer.id}`, headers: { 'if-match': read.headers.etag as string }, payload: offerFeature(...point, { places_free: 0 }) });
      expect(put.statusCode).toBe(200);
      expect(put.json().properties).toMatchObject({ places_free: 0, version: 2 });
      expect(put.headers.etag).toBe(`"offer-${offer.id}-v2"`);

      const del = await coord({ method: 'DELETE', url: `/api/offers/${offer.id}`, headers: { 'if-match': put.headers.etag as string } });
      expect(del.statusCode).toBe(204);
      expect((await analyst({ url: `/api/offers/${offer.id}` })).statusCode).toBe(404);
    });

    it('refuses a blind update (428) and a stale one (412) without overwriting anything', async () => {
      const offer = (await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point) })).json();
      const v1 = `"offer-${offer.id}-v1"`;
      const blind = await coord({ method: 'PUT', url: `/api/offers/${offer.id}`, payload: offerFeature(...point, { name: 'blind' }) });
      expect(blind.statusCode).toBe(428);
      expect((await coord({ method: 'PUT', url: `/api/offers/${offer.id}`, headers: { 'if-match': v1 }, payload: offerFeature(...point, { name: 'first' }) })).statusCode).toBe(200);
      const stale = await coord({ method: 'PUT', url: `/api/offers/${offer.id}`, headers: { 'if-match': v1 }, payload: offerFeature(...point, { name: 'second' }) });
      expect(stale.statusCode).toBe(412);
      expect((await coord({ method: 'DELETE', url: `/api/offers/${offer.id}`, headers: { 'if-match': v1 } })).statusCode).toBe(412);
      expect((await analyst({ url: `/api/offers/${offer.id}` })).json().properties.name).toBe('first');
    });

    it('names every bad field in one 400 problem+json', async () => {
      const bad = offerFeature(...point, { name: '', languages: ['de', 'xx'], places_total: -1, email: 'no-mail', unknown_field: 1 } as never);
      const res = await coord({ method: 'POST', url: '/api/offers', payload: bad });
      expect(res.statusCode).toBe(400);
      const fields = res.json().errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['/properties/name', '/properties/languages/1', '/properties/places_total', '/properties/email', '/properties/unknown_field']));
    });

    it('checks rules across fields and the district extent', async () => {
      const cases: [object, string][] = [
        [offerFeature(...point, { places_total: 3, places_free: 4 }), '/properties/places_free'],
        [offerFeature(...point, { valid_from: '2026-05-01', valid_to: '2026-01-01' }), '/properties/valid_to'],
        [offerFeature(...point, { subcategory: 'kita' }), '/properties/subcategory'],
        [offerFeature(13.4, 52.5), '/geometry/coordinates'],
        [{ ...offerFeature(...point), geometry: { type: 'Point', coordinates: [point[0], 95] } }, '/geometry/coordinates/1'],
        [{ ...offerFeature(...point), geometry: { type: 'Point', coordinates: [point[0], point[1], 3] } }, '/geometry/coordinates'],
        [{ ...offerFeature(...point), crs: { type: 'name', properties: { name: 'EPSG:31467' } } }, '/crs'],
      ];
      const before = (await t.db.query<{ n: number }>('SELECT count(*) AS n FROM offers')).rows[0]!.n;
      for (const [payload, field] of cases) {
        const res = await coord({ method: 'POST', url: '/api/offers', payload });
        expect(res.statusCode, field).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field), field).toContain(field);
      }
      expect((await t.db.query<{ n: number }>('SELECT count(*) AS n FROM offers')).rows[0]!.n).toBe(before);
    });

    it('records every write in the audit log with before and after', async () => {
      const offer = (await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point, { name: 'Audit me' }) })).json();
      await coord({ method: 'PUT', url: `/api/offers/${offer.id}`, headers: { 'if-match': `"offer-${offer.id}-v1"` }, payload: offerFeature(...point, { name: 'Audited' }) });
      const admin = as(app, await login(app, 'admin'));
      const log = (await admin({ url: `/api/audit?entity=offer&entity_id=${offer.id}` })).json();
      expect(log.total).toBe(2);
      const [update, create] = log.entries;
      expect(create).toMatchObject({ action: 'create', actor: 'coordinator@demo.local', before: null });
      expect(create.after.properties.name).toBe('Audit me');
      expect(update).toMatchObject({ action: 'update' });
      expect(update.before.properties.name).toBe('Audit me');
      expect(update.after.properties.name).toBe('Audited');
    });
  });
}
