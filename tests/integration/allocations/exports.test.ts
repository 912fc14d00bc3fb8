import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { KREIS, PERIOD, TWELVE } from './fixtures.ts';

type Row = Record<string, string>;

/** The export's CSV (semicolons, BOM) as objects by column name. */
function parseCsv(body: string): Row[] {
  const [header, ...lines] = body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'));
  return lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!])));
}

for (const kind of BACKENDS) {
  describe(`allocation plan exports on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let ministry: ReturnType<typeof as>;
    let households: { id: number; result: { units: { key: string; households: number; seats: number }[] } };
    let aggregate: { id: number };

    async function savePlan(name: string, request: object) {
      const { result } = (await coord({ method: 'POST', url: '/api/allocations/suggest', payload: request })).json();
      const res = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name, request, result } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    }

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      ministry = as(app, await login(app, 'ministry'));
      households = await savePlan('Haushalte Oktober', { kreis: KREIS, period: PERIOD, mode: 'households', households: TWELVE, weights: { kita_free: 1, load: 1, language_match: 0.5 } });
      aggregate = await savePlan('Aggregiert Oktober', { kreis: KREIS, period: PERIOD, mode: 'aggregate', n: 30, weights: { kita_free: 1 }, max_deviation: { unit: 'percent', value: 100 } });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('gives coordinators every count, as a CSV for German spreadsheets', async () => {
      const res = await coord({ url: `/api/allocations/plans/${households.id}/export.csv` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="verteilungsplan-${households.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
      const rows = parseCsv(res.body);
      expect(Object.keys(rows[0]!)).toEqual(['key', 'name', 'population', 'credited_intake', 'legal_quota', 'legal_seats', 'households', 'seats', 'deviation_persons', 'deviation_percent']);
      expect(rows.map((r) => [r.key, Number(r.households), Number(r.seats)])).toEqual(households.result.units.map((u) => [u.key, u.households, u.seats]));
      expect(res.body).not.toContain('<3');
    });

    it('withholds counts of fewer than three households from the ministry', async () => {
      const small = households.result.units.filter((u) => u.households > 0 && u.households < 3);
      expect(small.length).toBeGreaterThan(0);
      const rows = parseCsv((await ministry({ url: `/api/allocations/plans/${households.id}/export.csv` })).body);
      for (const u of small) {
        expect(rows.find((r) => r.key === u.key)).toMatchObject({ households: '<3', seats: '<3', deviation_persons: '<3', deviation_percent: '<3' });
      }
      const withheld = rows.filter((r) => r.households === '<3');
      // One withheld cell would follow from the total by subtraction: then a second one goes too.
      expect(withheld.length).toBeGreaterThanOrEqual(Math.max(2, small.length));
      for (const r of rows.filter((r) => r.households !== '<3')) expect(Number(r.households) === 0 || Number(r.households) >= 3).toBe(true);
      // The legal key is not household data.
      expect(rows.every((r) => /^\d+$/.test(r.legal_seats!))).toBe(true);

      const fc = (await ministry({ url: `/api/allocations/plans/${households.id}/export.geojson` })).json() as FeatureCollection;
      expect(fc.features).toHaveLength(14);
      for (const f of fc.features) {
        expect(f.geometry?.type).toBe('MultiPolygon');
        const p = f.properties!;
        if (p.suppressed) expect([p.households, p.seats, p.deviation_persons]).toEqual([null, null, null]);
        else expect(p.households === 0 || p.households >= 3).toBe(true);
      }
      expect(fc.features.filter((f) => f.properties!.suppressed).map((f) => f.id).sort()).toEqual(withheld.map((r) => r.key).sort());
    });

    it('withholds nothing in an aggregate plan', async () => {
      const body = (await ministry({ url: `/api/allocations/plans/${aggregate.id}/export.csv` })).body;
      expect(body).not.toContain('<3');
      expect(parseCsv(body)[0]).not.toHaveProperty('households');
      const fc = (await ministry({ url: `/api/allocations/plans/${aggregate.id}/export.geojson` })).json() as FeatureCollection;
      expect(fc.features.every((f) => f.properties!.suppressed === false && typeof f.properties!.seats === 'number')).toBe(true);
    });

    it('prints a dated German decision sheet with the data sources', async () => {
      const res = await coord({ url: `/api/allocations/plans/${aggregate.id}/sheet` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const html = res.body;
      expect(html).toContain('<html lang="de">');
      expect(html).toContain('@media print');
      expect(html).toContain('Verteilungsentscheidung: Aggregiert Oktober');
      expect(html).toContain('Entwurf, nicht beschlossen');
      expect(html).toMatch(/gedruckt am \d{1,2}\. \p{L}+ \d{4}/u);
      expect(html).toContain('Fiktive Demodaten der Integrationslandkarte (CC0)');
      const sheet = (await ministry({ url: `/api/allocations/plans/${households.id}/sheet` })).body;
      expect(sheet).toContain('&lt;3');
      expect(sheet).toContain('HiGHS (Optimal, nachweislich optimal)');
    });

    it('escapes what users typed into the sheet', async () => {
      const plan = await savePlan('<script>alert(1)</script>', { kreis: KREIS, period: PERIOD, mode: 'aggregate', n: 5, weights: {} });
      const html = (await coord({ url: `/api/allocations/plans/${plan.id}/sheet` })).body;
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
}
