import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection } from 'geojson';
import { searchPlaces, suggestPlaces, type Place } from '@ilk/core/place-search';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, type Session } from '../../helpers/auth.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';

// The first screen of a real Kreis: Herzogtum Lauenburg (01053) from the official BKG and
// Destatis files, without the demo. Partners find its places by name and on a map; the
// completeness panel says what is known and what is missing; every region has an area.

const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const KREIS = '010530000000';

async function loginAs(app: FastifyInstance, email: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'places-test' } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
  const csrf = res.json().csrf_token as string;
  return { cookie: `ilk_session=${cookie.value}`, csrf, headers: { cookie: `ilk_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

for (const kind of BACKENDS) {
  describe(`places and completeness of Kreis Herzogtum Lauenburg on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let partner: ReturnType<typeof as>;
    let coord: ReturnType<typeof as>;
    let otherCoord: ReturnType<typeof as>;
    let ministry: ReturnType<typeof as>;
    let places: Place[];

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await importOfficial(t.db, {
        scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
        population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'), removeDemo: true,
      });
      const users = [
        { email: 'partner@lauenburg.example', role: 'partner' as const, organisation: 'Diakonie Lauenburg' },
        { email: 'coord@lauenburg.example', role: 'coordinator' as const, districts: [KREIS] },
        { email: 'coord@elsewhere.example', role: 'coordinator' as const, districts: ['010510000000'] },
        { email: 'ministry@land.example', role: 'ministry' as const },
      ];
      for (const u of users) await addUser(t.db, { ...u, password: 'places-test' }, false);
      app = await buildTestApp(t.db);
      partner = as(app, await loginAs(app, users[0]!.email));
      coord = as(app, await loginAs(app, users[1]!.email));
      otherCoord = as(app, await loginAs(app, users[2]!.email));
      ministry = as(app, await loginAs(app, users[3]!.email));
      places = ((await partner({ url: '/api/partner/regions' })).json() as { regions: Place[] }).regions;
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('lists the 15 Verbände and the Gemeinden by name, an amtsfreie Gemeinde once, with kind, Amt and Kreis', () => {
      const own = places.filter((p) => p.key.startsWith('01053'));
      expect(own.filter((p) => p.level === 'verband')).toHaveLength(15);
      // 133 Gemeinden, 7 of them amtsfrei: those are listed as their Verband.
      expect(own.filter((p) => p.level === 'gemeinde')).toHaveLength(126);
      const moelln = own.filter((p) => p.name === 'Mölln');
      expect(moelln).toEqual([expect.objectContaining({ level: 'verband', kind: 'Amtsfreie Gemeinde', parent_name: null, kreis_name: 'Herzogtum Lauenburg' })]);
      expect(own.find((p) => p.name === 'Grambek')).toMatchObject({ level: 'gemeinde', kind: 'Gemeinde', parent_name: 'Breitenfelde', kreis_name: 'Herzogtum Lauenburg' });
      expect(own.find((p) => p.name === 'Breitenfelde' && p.level === 'verband')).toMatchObject({ kind: 'Amt' });
      expect(Object.keys(places[0]!).sort()).toEqual(['key', 'kind', 'kreis_name', 'level', 'name', 'parent_name']);
    });

    it('finds places typed without umlauts, in part, in any case, and suggests one for a typo', () => {
      expect(searchPlaces(places, 'gross gronau')[0]?.place.name).toBe('Groß Grönau');
      expect(searchPlaces(places, 'GROENAU').map((m) => m.place.name)).toContain('Groß Grönau');
      expect(searchPlaces(places, 'mölln').map((m) => m.place.name).slice(0, 2)).toEqual(['Mölln', 'Alt-Mölln']);
      expect(searchPlaces(places, 'elbe').map((m) => m.place.name)).toContain('Lauenburg/Elbe');
      expect(searchPlaces(places, 'Fuhlenhagn')).toEqual([]);
      expect(suggestPlaces(places, 'Fuhlenhagn').map((p) => p.name)).toEqual(['Fuhlenhagen']);
    });

    it('takes a need for a place picked by name; an unknown key is refused', async () => {
      const picked = searchPlaces(places, 'grambek')[0]!.place;
      const res = await partner({ method: 'POST', url: '/api/partner/needs', payload: { region_level: picked.level, region_ars: picked.key, kind: 'angebotsluecke', title: 'Kein Sprachkurs', priority: 'hoch' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ region_key: picked.key, region_name: 'Grambek' });
      const amt = places.find((p) => p.name === 'Mölln')!;
      const forAmt = await partner({ method: 'POST', url: '/api/partner/needs', payload: { region_level: amt.level, region_ars: amt.key, kind: 'information', title: 'Infoabend', priority: 'mittel' } });
      expect(forAmt.statusCode, forAmt.body).toBe(201);
      const unknown = await partner({ method: 'POST', url: '/api/partner/needs', payload: { region_level: 'gemeinde', region_ars: '010539999999', kind: 'information', title: 'x', priority: 'mittel' } });
      expect(unknown.statusCode).toBe(400);
    });

    it('serves the picker map: every Gemeinde outline with key and name only, keys as in the list', async () => {
      const res = await partner({ url: '/api/partner/regions/shapes' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/geo\+json/);
      const fc = res.json() as FeatureCollection;
      const own = fc.features.filter((f) => String(f.properties!.key).startsWith('01053'));
      expect(own).toHaveLength(133);
      expect(Object.keys(own[0]!.properties!).sort()).toEqual(['key', 'name']);
      expect(own.every((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')).toBe(true);
      const keys = new Set(places.map((p) => p.key));
      expect(own.every((f) => keys.has(String(f.properties!.key)))).toBe(true);
      const moelln = own.find((f) => f.properties!.name === 'Mölln')!;
      expect(moelln.properties!.key).toBe(places.find((p) => p.name === 'Mölln')!.key);
      // Staff use the region layer; the picker map is the partners' door only.
      expect((await coord({ url: '/api/partner/regions/shapes' })).statusCode).toBe(403);
    });

    it('has an area for every region at every level, so the density has a value wherever the population has', async () => {
      const { rows } = await t.db.query<{ level: string; n: number; with_area: number; with_density: number; with_population: number }>(`
        SELECT level, count(*)::int AS n, count(*) FILTER (WHERE area_km2 > 0)::int AS with_area,
               count(*) FILTER (WHERE population > 0 AND area_km2 > 0)::int AS with_density,
               count(*) FILTER (WHERE population > 0)::int AS with_population
          FROM regions WHERE left(ars, 5) = '01053' GROUP BY level ORDER BY level`);
      expect(rows.map((r) => r.level)).toEqual(['gemeinde', 'kreis', 'verband']);
      for (const r of rows) {
        expect(r.with_area, r.level).toBe(r.n);
        expect(r.with_density, r.level).toBe(r.with_population);
      }
      const layer = (await coord({ url: `/api/regions?level=kreis&parent=${KREIS}` })).json() as FeatureCollection;
      const k = layer.features[0]!.properties as { population: number; area_km2: number };
      // About 197,000 people on about 1,263 km²: some 150 per km².
      expect(k.area_km2).toBeGreaterThan(1200);
      expect(k.area_km2).toBeLessThan(1320);
      expect(k.population / k.area_km2).toBeGreaterThan(130);
      expect(k.population / k.area_km2).toBeLessThan(170);
    });

    it('reports the completeness of the Kreis: no unit reported, every category, open needs', async () => {
      const res = await coord({ url: '/api/completeness' });
      expect(res.statusCode, res.body).toBe(200);
      const { kreise } = res.json();
      expect(kreise).toHaveLength(1);
      const k = kreise[0];
      expect(k).toMatchObject({ key: KREIS, name: 'Herzogtum Lauenburg', gemeinden: 133, units_reported: 0, offers_total: 0 });
      expect(k.units).toHaveLength(15);
      expect(k.units.every((u: { report_date: string | null; reports: number }) => u.report_date === null && u.reports === 0)).toBe(true);
      expect(k.offers.length).toBeGreaterThanOrEqual(8);
      expect(k.offers.every((o: { count: number }) => o.count === 0)).toBe(true);
      // The two needs reported above.
      expect(k.open_needs).toBe(2);
    });

    it('counts a capacity report with its date and lists the unit after those still missing', async () => {
      const unit = places.find((p) => p.name === 'Breitenfelde' && p.level === 'verband')!;
      const report = { report_date: '2026-11-20', housing_free: 3, housing_free_barrier_free: 1, shared_accommodation_places: 0, kita_free: 1, school_free: 2, language_course_free: 4, gp_accepting: 1, refugees_housed: 10, intake_ytd: 4 };
      const posted = await coord({ method: 'POST', url: `/api/regions/${unit.key}/capacity`, payload: report });
      expect(posted.statusCode, posted.body).toBe(201);
      const k = (await coord({ url: `/api/completeness?kreis=${KREIS}` })).json().kreise[0];
      expect(k.units_reported).toBe(1);
      expect(k.units.at(-1)).toMatchObject({ key: unit.key, name: 'Breitenfelde', kind: 'Amt', report_date: '2026-11-20', reports: 1 });
      expect(k.units.slice(0, 14).every((u: { report_date: string | null }) => u.report_date === null)).toBe(true);
    });

    it('is scoped like the layers: the Ministry reads every Kreis, a coordinator only theirs, a partner nothing', async () => {
      const all = (await ministry({ url: '/api/completeness' })).json().kreise as { key: string }[];
      expect(all.map((k) => k.key)).toContain(KREIS);
      expect((await ministry({ url: `/api/completeness?kreis=${KREIS}` })).json().kreise).toHaveLength(1);
      expect((await otherCoord({ url: '/api/completeness' })).json().kreise).toEqual([]);
      expect((await otherCoord({ url: `/api/completeness?kreis=${KREIS}` })).statusCode).toBe(403);
      expect((await coord({ url: '/api/completeness?kreis=01053' })).statusCode).toBe(400);
      expect((await partner({ url: '/api/completeness' })).statusCode).toBe(403);
      expect((await app.inject({ url: '/api/completeness' })).statusCode).toBe(401);
    });
  });
}
