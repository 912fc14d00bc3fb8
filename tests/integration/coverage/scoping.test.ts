import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';
import { closeTo, nearestByTurf } from './turf-reference.ts';

// Two districts: the demo Kreis and the real Herzogtum Lauenburg (BKG VG5000 + Destatis, read from
// ../shared), with generated offers there. Coordinators see their own district only.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const DEMO = '010990000000';
const LAUENBURG = '010530000000';

type Layer = FeatureCollection<MultiPolygon, Record<string, any>>;

async function loginEmail(app: FastifyInstance, email: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'demo' } });
  const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
  const csrf = res.json().csrf_token as string;
  return { cookie: `ilk_session=${cookie.value}`, csrf, headers: { cookie: `ilk_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

for (const kind of BACKENDS) {
  describe(`coverage across two districts on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    let admin: ReturnType<typeof as>;
    let demoCoord: ReturnType<typeof as>;
    let lauenburgCoord: ReturnType<typeof as>;
    const keys = async (who: ReturnType<typeof as>, url: string) => ((await who({ url })).json() as Layer).features.map((f) => f.id as string);
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await importOfficial(t.db, { scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'), population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'), keepDemo: true });
      // 30 Sprache offers of one provider at reproducible random points in inhabited Gemeinden of Lauenburg.
      await t.db.query(`
        WITH p AS (INSERT INTO providers (name, city) VALUES ('Sprachschule Lauenburg', 'Ratzeburg') RETURNING id)
        INSERT INTO offers (category_key, name, provider_id, geom)
        SELECT 'sprache', 'Kurs ' || i, (SELECT id FROM p),
               (SELECT (ST_Dump(ST_GeneratePoints(g.geom, 1, i))).geom FROM regions g
                 WHERE g.level = 'gemeinde' AND g.ars LIKE '01053%' AND g.population > 0 ORDER BY g.ars OFFSET (i * 7) % 100 LIMIT 1)
          FROM generate_series(1, 30) i`);
      await addUser(t.db, { email: 'koordination-demo@demo.local', password: 'demo', role: 'coordinator', districts: [DEMO] }, false);
      await addUser(t.db, { email: 'koordination-lauenburg@demo.local', password: 'demo', role: 'coordinator', districts: [LAUENBURG] }, false);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
      admin = as(app, await login(app, 'admin'));
      demoCoord = as(app, await loginEmail(app, 'koordination-demo@demo.local'));
      lauenburgCoord = as(app, await loginEmail(app, 'koordination-lauenburg@demo.local'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('measures the real Gemeinden of Lauenburg like turf does', async () => {
      const fc = (await ministry({ url: `/api/coverage?category=sprache&parent=${LAUENBURG}` })).json() as Layer;
      const offers = (await ministry({ url: '/api/offers?category=sprache' })).json() as FeatureCollection<Point>;
      const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%'");
      expect(fc.features).toHaveLength(rows[0]!.n);
      for (const f of fc.features) {
        const expected = nearestByTurf(f.properties.label_point, offers).distance_m!;
        expect(closeTo(f.properties.distance_m, expected), `${f.id}: ${f.properties.distance_m} vs ${expected}`).toBe(true);
      }
    });

    it('shows coordinators their own districts only; the Ministry sees both and the Land', async () => {
      const demo = await keys(demoCoord, '/api/coverage?category=sprache');
      expect(demo).toHaveLength(100);
      expect(demo.every((k) => k.startsWith('01099'))).toBe(true);
      const lauenburg = await keys(lauenburgCoord, '/api/coverage?category=sprache&level=verband');
      expect(lauenburg.length).toBeGreaterThan(0);
      expect(lauenburg.every((k) => k.startsWith('01053'))).toBe(true);
      expect((await keys(demoCoord, '/api/coverage/white-spots?category=sprache&threshold_km=1')).every((k) => k.startsWith('01099'))).toBe(true);
      expect((await demoCoord({ url: '/api/coverage?category=sprache&level=kreis' })).json().rows.map((r: { key: string }) => r.key)).toEqual([DEMO]);
      expect((await demoCoord({ url: `/api/coverage?category=sprache&parent=${LAUENBURG}` })).statusCode).toBe(403);
      expect((await demoCoord({ url: `/api/coverage/white-spots.csv?category=sprache&parent=${LAUENBURG}` })).statusCode).toBe(403);
      expect((await demoCoord({ url: '/api/coverage?category=sprache&level=land' })).statusCode).toBe(403);

      const kreise = (await ministry({ url: '/api/coverage?category=sprache&level=kreis' })).json().rows;
      expect(kreise.map((r: { key: string }) => r.key)).toEqual([LAUENBURG, DEMO]);
      const land = (await ministry({ url: '/api/coverage?category=sprache&level=land' })).json().rows;
      expect(land).toHaveLength(1);
      expect(land[0]).toMatchObject({ key: '010000000000', population: kreise[0].population + kreise[1].population, gemeinden: kreise[0].gemeinden + kreise[1].gemeinden });
      const share = (kreise[0].within_10km * kreise[0].population + kreise[1].within_10km * kreise[1].population) / land[0].population;
      expect(land[0].within_10km).toBeCloseTo(share, 3);
      // A table's total is the figure over all its rows, from the same pass: the Land, or a coordinator's own Kreis.
      expect((await ministry({ url: '/api/coverage?category=sprache&level=kreis' })).json().total).toEqual({ ...land[0], key: '', name: null });
      const own = (await demoCoord({ url: '/api/coverage?category=sprache&level=kreis' })).json();
      expect(own.total).toEqual({ ...own.rows[0], key: '', name: null });
    });

    it('scopes the dashboard like coverage: own Kreise only, no Land figure for coordinators', async () => {
      const keysOf = async (who: ReturnType<typeof as>, url: string) => (await who({ url })).json().rows.map((r: { key: string }) => r.key);
      expect(await keysOf(demoCoord, '/api/dashboard?level=kreis')).toEqual([DEMO]);
      expect(await keysOf(lauenburgCoord, '/api/dashboard?level=verband')).toSatisfy((k: string[]) => k.length > 0 && k.every((a) => a.startsWith('01053')));
      expect((await demoCoord({ url: `/api/dashboard?level=verband&parent=${LAUENBURG}` })).statusCode).toBe(403);
      expect((await demoCoord({ url: '/api/dashboard?level=land' })).statusCode).toBe(403);
      expect(await keysOf(ministry, '/api/dashboard?level=kreis')).toEqual([LAUENBURG, DEMO]);
      // A --kreis import brings no Land region: the Land level is readable, and empty.
      expect(await keysOf(ministry, '/api/dashboard?level=land')).toEqual([]);
    });

    it('scopes networks, the provider directory and need histories to the coordinator\'s districts', async () => {
      const network = (await admin({ method: 'POST', url: '/api/networks', payload: { name: 'Netzwerk Sprache Lauenburg', category: 'sprache', region_ars: LAUENBURG, region_level: 'kreis' } })).json();
      const names = async (who: ReturnType<typeof as>) => (await who({ url: '/api/networks' })).json().networks.map((n: { name: string }) => n.name);
      expect(await names(lauenburgCoord)).toContain('Netzwerk Sprache Lauenburg');
      expect(await names(demoCoord)).not.toContain('Netzwerk Sprache Lauenburg');
      expect((await demoCoord({ url: `/api/networks/${network.id}` })).statusCode).toBe(403);

      const providers = async (who: ReturnType<typeof as>) => (await who({ url: '/api/providers?category=sprache' })).json().providers.map((p: { name: string }) => p.name);
      expect(await providers(ministry)).toContain('Sprachschule Lauenburg');
      expect(await providers(lauenburgCoord)).toEqual(['Sprachschule Lauenburg']);
      expect(await providers(demoCoord)).not.toContain('Sprachschule Lauenburg');

      const gemeinde = (await t.db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%' ORDER BY ars LIMIT 1")).rows[0]!.ars;
      const need = (await admin({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: gemeinde, kind: 'information', title: 'Lauenburg' } })).json();
      expect((await demoCoord({ url: `/api/needs/${need.id}/events` })).statusCode).toBe(403);
      expect((await demoCoord({ method: 'POST', url: `/api/needs/${need.id}/events`, payload: { kind: 'comment', text: 'x' } })).statusCode).toBe(403);
      expect((await lauenburgCoord({ method: 'POST', url: `/api/needs/${need.id}/events`, payload: { kind: 'comment', text: 'Übernehme ich.' } })).statusCode).toBe(201);
      expect((await lauenburgCoord({ url: `/api/needs/${need.id}/events` })).json().events).toHaveLength(1);
    });
  });
}
