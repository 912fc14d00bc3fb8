import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { coverageByVerband } from '../../../server/src/repositories/coverage.repository.ts';
import { closeTo, nearestByTurf, weightedShare } from './turf-reference.ts';

type Props = Record<string, any>;
type Layer = FeatureCollection<MultiPolygon, Props>;

// Offer filters of the coverage query and the same filter on the offers layer.
const CASES = [
  { coverage: 'category=sprache', offers: 'category=sprache' },
  { coverage: 'category=gesundheit&subcategory=kinderarzt', offers: 'category=gesundheit&subcategory=kinderarzt' },
  { coverage: 'category=arbeit&free_only=true', offers: 'category=arbeit&with_free_places=true' },
];

for (const kind of BACKENDS) {
  describe(`coverage on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    const layer = async (query: string) => {
      const res = await ministry({ url: `/api/coverage?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Layer;
    };
    const offers = async (query: string) => (await ministry({ url: `/api/offers?${query}` })).json() as FeatureCollection<Point>;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    for (const c of CASES) {
      it(`measures every Gemeinde like turf does, within 0.5 % (${c.coverage})`, async () => {
        const [fc, candidates] = [await layer(`${c.coverage}&level=gemeinde`), await offers(c.offers)];
        expect(fc.features).toHaveLength(100);
        expect(candidates.features.length).toBeGreaterThan(3);
        for (const f of fc.features) {
          const p = f.properties;
          const expected = nearestByTurf(p.label_point, candidates);
          expect(closeTo(p.distance_m, expected.distance_m!), `${p.key}: ${p.distance_m} vs ${expected.distance_m}`).toBe(true);
          // Ties (two offers at the same distance, within the tolerance) may resolve either way.
          if (expected.second_m! - expected.distance_m! > 0.01 * expected.distance_m! + 2) expect(p.nearest_offer_id).toBe(expected.offer_id);
          for (const km of [5, 10, 20]) {
            if (Math.abs(expected.distance_m! - km * 1000) > 0.005 * km * 1000) expect(p[`within_${km}km`]).toBe(expected.distance_m! <= km * 1000 ? 1 : 0);
          }
        }
      });
    }

    it('aggregates population-weighted shares per Verband, Kreis and Land from the Gemeinden', async () => {
      const q = 'category=gesundheit&subcategory=kinderarzt&thresholds=3,8';
      const gemeinden = await layer(`${q}&level=gemeinde`);
      const verbaende = await layer(`${q}&level=verband`);
      expect(verbaende.features).toHaveLength(14);
      for (const v of verbaende.features) {
        const members = gemeinden.features.filter((g) => g.properties.parent_key === v.id);
        expect(v.properties.population).toBe(members.reduce((s, g) => s + (g.properties.population ?? 0), 0));
        expect(v.properties.gemeinden).toBe(members.length);
        for (const km of [3, 8]) {
          const share = weightedShare(members, km);
          if (share === null) expect(v.properties[`within_${km}km`]).toBeNull();
          else expect(v.properties[`within_${km}km`]).toBeCloseTo(share, 4);
          const out = members.filter((g) => (g.properties.population ?? 1) > 0 && g.properties[`within_${km}km`] === 0);
          expect(v.properties[`white_spots_${km}km`]).toBe(out.length);
        }
        expect(v.properties.max_distance_m).toBe(Math.max(...members.map((g) => g.properties.distance_m)));
      }
      for (const level of ['kreis', 'land'] as const) {
        const table = (await ministry({ url: `/api/coverage?${q}&level=${level}` })).json();
        expect(table).toMatchObject({ level, category: 'gesundheit', subcategory: 'kinderarzt', free_only: false, thresholds_km: [3, 8] });
        expect(table.rows).toHaveLength(1);
        const row = table.rows[0];
        expect(row.key).toBe(level === 'kreis' ? '010990000000' : '010000000000');
        expect(row.gemeinden).toBe(100);
        for (const km of [3, 8]) expect(row[`within_${km}km`]).toBeCloseTo(weightedShare(gemeinden.features, km)!, 4);
        // The response schema is an allow-list: nothing but the declared and threshold fields.
        expect(Object.keys(row).sort()).toEqual(['gemeinden', 'key', 'max_distance_m', 'mean_distance_m', 'name', 'population',
          'white_spots_3km', 'white_spots_8km', 'within_3km', 'within_8km']);
      }
    });

    it('gives the allocation criteria a coverage indicator per Verband', async () => {
      const rows = await coverageByVerband(t.db, '010990000000', 'sprache', 10);
      const layerRows = (await layer('category=sprache&thresholds=10&level=verband')).features;
      expect(rows.map((r) => r.ars)).toEqual(layerRows.map((f) => f.id));
      for (const [i, r] of rows.entries()) {
        const p = layerRows[i]!.properties;
        expect(r).toEqual({
          ars: p.key, name: p.name, population: p.population, gemeinden: p.gemeinden, share_within: p.within_10km,
          white_spots: p.white_spots_10km, mean_distance_m: p.mean_distance_m, max_distance_m: p.max_distance_m,
        });
      }
    });

    it('lists white spots for a category with few offers, as GeoJSON and CSV', async () => {
      const candidates = await offers('category=einbuergerung');
      expect(candidates.features.length).toBeLessThanOrEqual(12);
      const all = await layer('category=einbuergerung&level=gemeinde');
      const expected = all.features
        .filter((g) => (g.properties.population ?? 1) > 0 && nearestByTurf(g.properties.label_point, candidates).distance_m! > 5000)
        .map((g) => g.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.features.length);
      const res = await ministry({ url: '/api/coverage/white-spots?category=einbuergerung&threshold_km=5' });
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const spots = res.json() as Layer;
      expect(spots.features.map((f) => f.id)).toEqual(expected);
      for (const f of spots.features) expect(f.geometry.type).toBe('MultiPolygon');
      const csv = await ministry({ url: '/api/coverage/white-spots.csv?category=einbuergerung&threshold_km=5' });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body.startsWith('\uFEFFkey;name;parent_key;population;distance_m;nearest_offer_id;lon;lat\r\n')).toBe(true);
      expect(csv.body.trim().split('\r\n').slice(1).map((l) => l.split(';')[0])).toEqual(expected);
    });

    it('rejects bad thresholds, a foreign subcategory and an unknown parent', async () => {
      const bad = async (query: string, status: number, field?: string) => {
        const res = await ministry({ url: `/api/coverage?${query}` });
        expect(res.statusCode, query).toBe(status);
        if (field) expect(res.json().errors[0].field).toBe(field);
      };
      await bad('category=sprache&thresholds=0,5', 400, 'thresholds');
      await bad('category=sprache&thresholds=5;DROP', 400, 'thresholds');
      await bad('category=sprache&thresholds=5,201', 400, 'thresholds');
      await bad('category=sprache&subcategory=kita', 400, 'subcategory');
      await bad('category=unbekannt', 400, 'category');
      await bad('category=sprache&level=bundesland', 400, 'level');
      await bad('category=sprache&parent=019999999999', 404);
      const defaults = (await layer('category=sprache&parent=010990019000')).features;
      expect(defaults.length).toBeGreaterThan(0);
      for (const f of defaults) {
        expect(f.properties.parent_key).toBe('010990019000');
        expect(Object.keys(f.properties).filter((k) => k.startsWith('within_')).sort()).toEqual(['within_10km', 'within_20km', 'within_5km']);
      }
    });

    it('answers 304 while nothing changed, and recomputes after an offer is added', async () => {
      const first = await ministry({ url: '/api/coverage?category=einbuergerung&level=verband' });
      const etag = first.headers.etag as string;
      expect((await ministry({ url: '/api/coverage?category=einbuergerung&level=verband', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
      const spot = (await ministry({ url: '/api/coverage/white-spots?category=einbuergerung&threshold_km=5' })).json() as Layer;
      const target = spot.features[0] as Feature<MultiPolygon, Props>;
      const [lon, lat] = target.properties.label_point;
      const admin = as(app, await login(app, 'admin'));
      const { offerFeature } = await import('../../fixtures/offers.ts');
      const created = await admin({ method: 'POST', url: '/api/offers', payload: offerFeature(lon, lat, { category: 'einbuergerung', subcategory: 'einbuergerungsberatung' }) });
      expect(created.statusCode).toBe(201);
      const again = await ministry({ url: '/api/coverage?category=einbuergerung&level=gemeinde', headers: { 'if-none-match': etag } });
      const moved = (again.json() as Layer).features.find((f) => f.id === target.id)!;
      expect(moved.properties).toMatchObject({ nearest_offer_id: created.json().id, within_5km: 1 });
      expect(moved.properties.distance_m).toBeLessThan(0.5);
    });

    it('reports no distance and everyone out of reach when no offer matches', async () => {
      await t.db.query("DELETE FROM offers WHERE category_key = 'einbuergerung'");
      const fc = await layer('category=einbuergerung&level=gemeinde');
      for (const f of fc.features) expect(f.properties).toMatchObject({ distance_m: null, nearest_offer_id: null, within_5km: 0, within_20km: 0 });
      const kreis = (await ministry({ url: '/api/coverage?category=einbuergerung&level=kreis' })).json().rows[0];
      expect(kreis).toMatchObject({ within_20km: 0, mean_distance_m: null, max_distance_m: null });
      expect(kreis.white_spots_20km).toBe(fc.features.filter((f) => (f.properties.population ?? 1) > 0).length);
    });
  });
}
