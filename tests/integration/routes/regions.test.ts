import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

const report = { report_date: '2026-11-20', housing_free: 12, housing_free_barrier_free: 2, shared_accommodation_places: 40, kita_free: 3, school_free: 5, language_course_free: 8, gp_accepting: 2, refugees_housed: 150, intake_ytd: 30 };

for (const kind of BACKENDS) {
  describe(`regions layer and capacity reports on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    let coord: ReturnType<typeof as>;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
      coord = as(app, await login(app, 'coordinator'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('serves each level with population, latest capacity and indicators computed like a hand count', async () => {
      const res = await ministry({ url: '/api/regions?level=verband' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const fc = res.json() as FeatureCollection<MultiPolygon>;
      const { rows } = await t.db.query<{ ars: string; population: number; housed: number; free: number; offers: number; needs: number }>(`
        SELECT v.ars, v.population,
               (SELECT c.refugees_housed FROM capacity_reports c WHERE c.region_id = v.id ORDER BY report_date DESC, id DESC LIMIT 1) AS housed,
               (SELECT c.housing_free FROM capacity_reports c WHERE c.region_id = v.id ORDER BY report_date DESC, id DESC LIMIT 1) AS free,
               (SELECT count(*) FROM offers o JOIN regions g ON g.id = o.region_id WHERE g.parent_id = v.id) AS offers,
               (SELECT count(*) FROM needs n JOIN regions g ON g.id = n.region_id WHERE (g.id = v.id OR g.parent_id = v.id) AND n.status <> 'erledigt') AS needs
          FROM regions v WHERE v.level = 'verband' ORDER BY v.ars`);
      expect(fc.features.map((f) => f.id)).toEqual(rows.map((r) => r.ars));
      for (const [i, f] of fc.features.entries()) {
        const r = rows[i]!;
        const p = f.properties!;
        expect(f.geometry.type).toBe('MultiPolygon');
        expect(p.population).toBe(r.population);
        expect(p.capacity.refugees_housed).toBe(r.housed);
        expect(p.offers_total).toBe(r.offers);
        expect(p.open_needs).toBe(r.needs);
        if (r.population > 0) expect(p.refugees_per_1000).toBeCloseTo((r.housed * 1000) / r.population, 2);
        else expect(p.refugees_per_1000).toBeNull();
        expect(Object.values(p.offers_by_category as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(r.offers);
      }
    });

    it('filters by parent and rejects an unknown level', async () => {
      const verbaende = (await ministry({ url: '/api/regions?level=verband' })).json() as FeatureCollection;
      const v = verbaende.features.find((f) => f.properties!.population > 0)!;
      const g = (await ministry({ url: `/api/regions?level=gemeinde&parent=${v.id}` })).json() as FeatureCollection;
      expect(g.features.length).toBeGreaterThan(0);
      for (const f of g.features) expect(f.properties!.parent_key).toBe(v.id);
      const kreis = (await ministry({ url: '/api/regions?level=kreis' })).json() as FeatureCollection;
      expect(kreis.features).toHaveLength(1);
      expect(kreis.features[0]!.properties!.population).toBe(verbaende.features.reduce((s, f) => s + (f.properties!.population as number), 0));
      const bad = await ministry({ url: '/api/regions?level=bundesland' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('level');
      expect((await ministry({ url: '/api/regions?level=gemeinde&parent=019999999999' })).statusCode).toBe(404);
    });

    it('appends capacity reports as history; the layer shows the newest', async () => {
      const v = ((await ministry({ url: '/api/regions?level=verband' })).json() as FeatureCollection).features[0]!;
      const before = (await ministry({ url: `/api/regions/${v.id}/capacity` })).json();
      const etag = (await ministry({ url: '/api/regions?level=verband' })).headers.etag as string;
      const res = await coord({ method: 'POST', url: `/api/regions/${v.id}/capacity`, payload: report });
      expect(res.statusCode).toBe(201);
      const after = (await ministry({ url: `/api/regions/${v.id}/capacity` })).json();
      expect(after.reports).toHaveLength(before.reports.length + 1);
      expect(after.reports[0]).toMatchObject(report);
      expect(after.reports.slice(1)).toEqual(before.reports);
      const layer = await ministry({ url: '/api/regions?level=verband', headers: { 'if-none-match': etag } });
      expect(layer.statusCode).toBe(200);
      const updated = (layer.json() as FeatureCollection).features.find((f) => f.id === v.id)!;
      expect(updated.properties!.capacity.housing_free).toBe(12);
    });

    it('rejects impossible reports and unknown units', async () => {
      const v = ((await ministry({ url: '/api/regions?level=verband' })).json() as FeatureCollection).features[0]!;
      const bad = await coord({ method: 'POST', url: `/api/regions/${v.id}/capacity`, payload: { ...report, housing_free_barrier_free: 99 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('/housing_free_barrier_free');
      const neg = await coord({ method: 'POST', url: `/api/regions/${v.id}/capacity`, payload: { ...report, kita_free: -1, report_date: 'gestern' } });
      expect(neg.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/kita_free', '/report_date']);
      expect((await coord({ method: 'POST', url: '/api/regions/010990000000/capacity', payload: report })).statusCode).toBe(404);
    });

    it('keeps coordinators inside their own districts', async () => {
      // A Verband key of another Kreis: the coordinator of the demo Kreis may not report for it.
      const res = await coord({ method: 'POST', url: '/api/regions/010535321000/capacity', payload: report });
      expect(res.statusCode).toBe(403);
    });
  });
}
