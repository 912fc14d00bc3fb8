import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as } from '../../helpers/auth.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';

// Coordinators see and edit only their own districts; Ministry staff and analysts see all.
// A coordinator of another Kreis sees none of the demo district.
for (const kind of BACKENDS) {
  describe(`read scope of coordinators on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let outsider: ReturnType<typeof as>;
    let own: ReturnType<typeof as>;
    let ministry: ReturnType<typeof as>;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      // Herzogtum Lauenburg's Kreis is not in this database, so the account gets no district here.
      await addUser(t.db, { email: 'k.meier@kreis-rz.example', password: 'Wolken über der Elbe 7', role: 'coordinator', districts: ['010530000000'] });
      const login = async (email: string, password: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
        const cookie = `ilk_session=${res.cookies.find((c) => c.name === 'ilk_session')!.value}`;
        return as(app, { cookie, csrf: res.json().csrf_token, headers: { cookie, 'x-csrf-token': res.json().csrf_token } });
      };
      outsider = await login('k.meier@kreis-rz.example', 'Wolken über der Elbe 7');
      own = await login('coordinator@demo.local', 'demo');
      ministry = await login('ministry@demo.local', 'demo');
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const count = async (who: ReturnType<typeof as>, url: string) => ((await who({ url })).json() as FeatureCollection).features.length;

    it('filters every layer, export and OGC collection to the readable districts', async () => {
      for (const url of ['/api/offers', '/api/needs', '/api/regions?level=gemeinde', '/api/regions?level=verband', '/api/export/offers.geojson', '/ogc/collections/offers/items', '/ogc/collections/needs/items', '/ogc/collections/regions-gemeinde/items']) {
        const all = await count(ministry, url);
        expect(all, url).toBeGreaterThan(0);
        expect(await count(own, url), url).toBe(all);
        expect(await count(outsider, url), url).toBe(0);
      }
      expect(((await outsider({ url: '/api/offers/counts' })).json())).toEqual({});
    });

    it('refuses single records outside the districts with 403', async () => {
      const offer = ((await ministry({ url: '/api/offers' })).json() as FeatureCollection).features[0]!;
      const need = ((await ministry({ url: '/api/needs' })).json() as FeatureCollection).features[0]!;
      const verband = ((await ministry({ url: '/api/regions?level=verband' })).json() as FeatureCollection).features[0]!;
      expect((await outsider({ url: `/api/offers/${offer.id}` })).statusCode).toBe(403);
      expect((await outsider({ url: `/api/needs/${need.id}` })).statusCode).toBe(403);
      expect((await outsider({ url: `/api/regions/${verband.id}/capacity` })).statusCode).toBe(403);
      expect((await outsider({ url: `/ogc/collections/offers/items/${offer.id}` })).statusCode).toBe(403);
      expect((await own({ url: `/api/offers/${offer.id}` })).statusCode).toBe(200);
    });

    it('filters vector tiles too', async () => {
      const { rows } = await t.db.query<{ lon: number; lat: number }>("SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'kreis'");
      const { lon, lat } = rows[0]!;
      const z = 8;
      const rad = (lat * Math.PI) / 180;
      const x = Math.floor(((lon + 180) / 360) * 2 ** z);
      const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z);
      for (const layer of ['offers', 'regions']) {
        expect((await own({ url: `/tiles/${layer}/${z}/${x}/${y}.pbf` })).statusCode, layer).toBe(200);
        expect((await outsider({ url: `/tiles/${layer}/${z}/${x}/${y}.pbf` })).statusCode, layer).toBe(204);
      }
    });

    it('keys the ETag by scope, so one user never gets another\'s cached layer', async () => {
      const a = (await own({ url: '/api/offers' })).headers.etag;
      const b = (await outsider({ url: '/api/offers' })).headers.etag;
      expect(a).not.toBe(b);
    });
  });
}
