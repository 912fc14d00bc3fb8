import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Feature, FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

type Link = { href: string; rel: string; type: string };
type Page = FeatureCollection & { numberMatched: number; numberReturned: number; timeStamp: string; links: Link[] };

const COLLECTIONS = ['offers', 'regions-kreis', 'regions-verband', 'regions-gemeinde', 'needs'];
// What each collection holds, counted straight from the tables.
const COUNT: Record<string, string> = {
  offers: 'SELECT count(*)::int AS n FROM offers',
  'regions-kreis': "SELECT count(*)::int AS n FROM regions WHERE level = 'kreis'",
  'regions-verband': "SELECT count(*)::int AS n FROM regions WHERE level = 'verband'",
  'regions-gemeinde': "SELECT count(*)::int AS n FROM regions WHERE level = 'gemeinde'",
  needs: 'SELECT count(*)::int AS n FROM needs',
};

/** The path and query of an absolute link, for app.inject. */
const local = (href: string) => {
  const u = new URL(href);
  expect(u.origin).toBe('http://gis.example:8080');
  return u.pathname + u.search;
};

for (const kind of BACKENDS) {
  describe(`OGC API Features on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let get: (url: string) => Promise<LightMyRequestResponse>;
    let token: string;
    const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0]!.n;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      const session = await login(app, 'analyst');
      const created = await as(app, session)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'ogc test' } });
      token = created.json().token;
      get = (url) => app.inject({ url, headers: { authorization: `Bearer ${token}`, host: 'gis.example:8080' } });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('serves a landing page with absolute links, and the conformance classes', async () => {
      const res = await get('/ogc');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const links = res.json().links as Link[];
      expect(links.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
      expect(local(links.find((l) => l.rel === 'service-desc')!.href)).toBe('/docs/json');
      expect(local(links.find((l) => l.rel === 'data')!.href)).toBe('/ogc/collections');
      expect((await get('/ogc?f=json')).statusCode).toBe(200);

      const conf = (await get('/ogc/conformance')).json().conformsTo as string[];
      for (const c of ['core', 'geojson', 'oas30']) expect(conf).toContain(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`);
    });

    it('states the default and maximum limit in the API definition', async () => {
      const doc = (await app.inject({ url: '/docs/json' })).json();
      const params = doc.paths['/ogc/collections/offers/items'].get.parameters as { name: string; required: boolean; schema: { default?: number; maximum?: number } }[];
      expect(params.find((p) => p.name === 'limit')).toMatchObject({ required: false, schema: { default: 100, maximum: 1000 } });
      expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['bbox', 'offset', 'category', 'subcategory']));
    });

    it('lists every collection with a CRS84 extent computed from the data', async () => {
      const body = (await get('/ogc/collections')).json() as { collections: { id: string; extent: { spatial: { bbox: number[][]; crs: string } }; links: Link[] }[] };
      expect(body.collections.map((c) => c.id)).toEqual(COLLECTIONS);
      const { rows } = await t.db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
        'SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM offers) x');
      const [w, s, e, n] = body.collections[0]!.extent.spatial.bbox[0]!;
      const ext = rows[0]!;
      expect(w).toBeLessThanOrEqual(ext.xmin);
      expect(s).toBeLessThanOrEqual(ext.ymin);
      expect(e).toBeGreaterThanOrEqual(ext.xmax);
      expect(n).toBeGreaterThanOrEqual(ext.ymax);
      expect(e! - w!).toBeLessThan(5);
      for (const c of body.collections) {
        expect(c.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
        expect(local(c.links.find((l) => l.rel === 'items')!.href)).toBe(`/ogc/collections/${c.id}/items`);
        const one = await get(`/ogc/collections/${c.id}`);
        expect(one.statusCode).toBe(200);
        expect(one.json().extent).toEqual(c.extent);
      }
    });

    for (const id of COLLECTIONS) {
      it(`pages through ${id} by rel=next until exhausted, without duplicates`, async () => {
        const total = await count(COUNT[id]!);
        const limit = id === 'offers' ? 50 : 7;
        const ids: unknown[] = [];
        let url: string | undefined = `/ogc/collections/${id}/items?limit=${limit}`;
        let pages = 0;
        while (url) {
          const res = await get(url);
          expect(res.statusCode, url).toBe(200);
          expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
          const page = res.json() as Page;
          expect(page.numberMatched).toBe(total);
          expect(page.numberReturned).toBe(page.features.length);
          expect(page.features.length).toBeLessThanOrEqual(limit);
          expect(Date.parse(page.timeStamp)).not.toBeNaN();
          if (pages > 0) expect(page.links.some((l) => l.rel === 'prev')).toBe(true);
          ids.push(...page.features.map((f) => f.id));
          const next = page.links.find((l) => l.rel === 'next');
          url = next ? local(next.href) : undefined;
          pages++;
        }
        expect(ids).toHaveLength(total);
        expect(new Set(ids).size).toBe(total);
        expect(pages).toBe(Math.max(1, Math.ceil(total / limit)));
      });
    }

    it('serves 100 features by default and clamps a limit above 1000 to 1000', async () => {
      const page = (await get('/ogc/collections/offers/items')).json() as Page;
      expect(page.numberReturned).toBe(Math.min(100, page.numberMatched));
      const big = (await get('/ogc/collections/offers/items?limit=5000')).json() as Page;
      expect(big.numberReturned).toBe(Math.min(1000, big.numberMatched));
      expect(new URL(big.links.find((l) => l.rel === 'self')!.href).searchParams.get('limit')).toBe('1000');
      const beyond = (await get('/ogc/collections/offers/items?offset=100000')).json() as Page;
      expect(beyond.features).toEqual([]);
      expect(beyond.links.some((l) => l.rel === 'next')).toBe(false);
    });

    it('filters by bbox (intersects) and keeps the filter in the next link', async () => {
      const { rows } = await t.db.query<{ lon: number; lat: number }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' ORDER BY population DESC NULLS LAST LIMIT 1");
      const { lon, lat } = rows[0]!;
      const bbox = [lon - 0.1, lat - 0.1, lon + 0.1, lat + 0.1];
      const env = 'ST_MakeEnvelope($1, $2, $3, $4, 4326)';
      const offers = (await get(`/ogc/collections/offers/items?bbox=${bbox.join(',')}&limit=5`)).json() as Page;
      expect(offers.numberMatched).toBe(await count(`SELECT count(*)::int AS n FROM offers WHERE ST_Intersects(geom, ${env})`, bbox));
      expect(offers.numberMatched).toBeGreaterThan(5);
      expect(new URL(offers.links.find((l) => l.rel === 'next')!.href).searchParams.get('bbox')).toBe(bbox.join(','));
      const gemeinden = (await get(`/ogc/collections/regions-gemeinde/items?bbox=${bbox.join(',')}`)).json() as Page;
      expect(gemeinden.numberMatched).toBe(await count(`SELECT count(*)::int AS n FROM regions WHERE level = 'gemeinde' AND ST_Intersects(geom, ${env})`, bbox));
    });

    it('filters by the properties each collection declares', async () => {
      const sprache = (await get('/ogc/collections/offers/items?category=sprache&limit=1000')).json() as Page;
      expect(sprache.numberMatched).toBe(await count("SELECT count(*)::int AS n FROM offers WHERE category_key = 'sprache'"));
      for (const f of sprache.features) expect(f.properties!.category).toBe('sprache');
      const sub = (await get('/ogc/collections/offers/items?subcategory=integrationskurs')).json() as Page;
      expect(sub.numberMatched).toBe(await count("SELECT count(*)::int AS n FROM offers WHERE subcategory_key = 'integrationskurs'"));
      const neu = (await get('/ogc/collections/needs/items?status=neu')).json() as Page;
      expect(neu.numberMatched).toBe(await count("SELECT count(*)::int AS n FROM needs WHERE status = 'neu'"));
      for (const f of neu.features) expect(f.properties!.status).toBe('neu');

      const { rows } = await t.db.query<{ ars: string; n: number }>(`
        SELECT v.ars, count(g.id)::int AS n FROM regions v JOIN regions g ON g.parent_id = v.id
         WHERE v.level = 'verband' GROUP BY v.ars ORDER BY n DESC, v.ars LIMIT 1`);
      const children = (await get(`/ogc/collections/regions-gemeinde/items?parent=${rows[0]!.ars}`)).json() as Page;
      expect(children.numberMatched).toBe(rows[0]!.n);
      for (const f of children.features) expect(f.properties!.parent_key).toBe(rows[0]!.ars);
      expect((await get('/ogc/collections/regions-gemeinde/items?parent=019999999999')).json().numberMatched).toBe(0);
    });

    it('serves single features with links, and 404 for unknown collections and features', async () => {
      const { rows } = await t.db.query<{ id: number; name: string; places_free: number | null }>('SELECT id, name, places_free FROM offers ORDER BY id LIMIT 1');
      const res = await get(`/ogc/collections/offers/items/${rows[0]!.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const offer = res.json() as Feature & { links: Link[] };
      expect(offer).toMatchObject({ type: 'Feature', id: rows[0]!.id, properties: { name: rows[0]!.name, places_free: rows[0]!.places_free } });
      expect(offer.links.map((l) => l.rel)).toEqual(['self', 'collection']);

      const g = (await t.db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1")).rows[0]!;
      expect((await get(`/ogc/collections/regions-gemeinde/items/${g.ars}`)).json()).toMatchObject({ id: g.ars, properties: { key: g.ars, level: 'gemeinde' } });
      const n = (await t.db.query<{ id: number }>('SELECT id FROM needs ORDER BY id LIMIT 1')).rows[0]!;
      expect((await get(`/ogc/collections/needs/items/${n.id}`)).json()).toMatchObject({ id: n.id, geometry: { type: 'Point' } });

      for (const url of ['/ogc/collections/nope', '/ogc/collections/nope/items', '/ogc/collections/offers/items/999999999',
        '/ogc/collections/offers/items/abc', `/ogc/collections/regions-verband/items/${g.ars}x`, '/ogc/collections/needs/items/0']) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(404);
        expect(r.headers['content-type']).toMatch(/problem\+json/);
      }
    });

    it('rejects malformed and unknown parameters with 400 naming the parameter', async () => {
      const cases: [string, string][] = [
        ['offers/items?bbox=1,2,3', 'bbox'], ['offers/items?bbox=11,54,10,53', 'bbox'], ['offers/items?bbox=0,0,200,10', 'bbox'],
        ['offers/items?limit=abc', 'limit'], ['offers/items?limit=0', 'limit'], ['offers/items?offset=-1', 'offset'],
        ['offers/items?foo=bar', 'foo'], ['offers/items?status=neu', 'status'], ['needs/items?subcategory=kita', 'subcategory'],
        ["offers/items?category=sprache'%3BDROP%20TABLE%20offers%3B--", 'category'], ['regions-gemeinde/items?parent=1%20OR%201%3D1', 'parent'],
        ['offers/items?f=html', 'f'], ['offers?limit=5', 'limit'],
      ];
      for (const [path, field] of cases) {
        const res = await get(`/ogc/collections/${path}`);
        expect(res.statusCode, path).toBe(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(res.json().errors.map((e: { field: string }) => e.field), path).toContain(field);
      }
      expect((await get('/ogc?x=1')).statusCode).toBe(400);
      expect(await count('SELECT count(*)::int AS n FROM offers')).toBeGreaterThan(0);
    });

    it('requires a token or session of a reading role', async () => {
      for (const url of ['/ogc', '/ogc/conformance', '/ogc/collections', '/ogc/collections/offers', '/ogc/collections/offers/items']) {
        const anon = await app.inject({ url });
        expect(anon.statusCode, url).toBe(401);
        expect(anon.headers['content-type']).toMatch(/problem\+json/);
      }
      expect((await app.inject({ url: '/ogc/collections', headers: { authorization: 'Bearer not-a-valid-token-at-all-xx' } })).statusCode).toBe(401);
      const partner = as(app, await login(app, 'partner'));
      expect((await partner({ url: '/ogc/collections' })).statusCode).toBe(403);
      const ministry = as(app, await login(app, 'ministry'));
      expect((await ministry({ url: '/ogc/collections/offers/items?limit=1' })).statusCode).toBe(200);
    });
  });
}
