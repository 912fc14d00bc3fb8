import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

interface Point { report_date: string; housing_free: number; refugees_housed: number; kita_free: number; units_reported: number; units_total: number; oldest_report_date: string }

for (const kind of BACKENDS) {
  describe(`Ministry dashboard numbers on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('sums offers, places and free places per category like a hand count, per Kreis and per Verband', async () => {
      const kreis = (await ministry({ url: '/api/dashboard?level=kreis' })).json();
      expect(kreis.rows).toHaveLength(1);
      const { rows } = await t.db.query<{ category_key: string; n: number; total: number; free: number }>(`
        SELECT category_key, count(*)::int AS n, coalesce(sum(places_total), 0)::int AS total, coalesce(sum(places_free), 0)::int AS free
          FROM offers WHERE region_id IS NOT NULL GROUP BY 1`);
      for (const r of rows) expect(kreis.rows[0].offers[r.category_key]).toEqual({ count: r.n, places_total: r.total, places_free: r.free });
      const verband = (await ministry({ url: `/api/dashboard?level=verband&parent=${kreis.rows[0].key}` })).json();
      expect(verband.rows.length).toBeGreaterThanOrEqual(10);
      const sum = (cat: string) => verband.rows.reduce((s: number, r: { offers: Record<string, { count: number }> }) => s + (r.offers[cat]?.count ?? 0), 0);
      for (const r of rows) expect(sum(r.category_key)).toBe(r.n);
    });

    it('builds the Kreis series on the demo only where every reporting unit has a report: no 18 → 132 from one unit to fourteen', async () => {
      const kreis = (await ministry({ url: '/api/dashboard?level=kreis' })).json().rows[0];
      const history = kreis.capacity_history as Point[];
      // The demo's Kreis: one unit reported on 2025-12-31, fourteen by 2026-09-30; only that date compares all fourteen.
      expect(history.map((h) => [h.report_date, h.housing_free, h.refugees_housed, h.units_reported, h.units_total])).toEqual([['2026-09-30', 132, 1834, 14, 14]]);
      expect(history[0]!.oldest_report_date).toBe('2026-09-30');
    });

    it('carries each unit\'s last report forward to every date of the series, over the same units at every point', async () => {
      // Units that report on different dates: A on d1 and d3, B on d1 and d2, C on d1 only, D from d2 on.
      const [a, b, c, d] = ['010990019000', '010990072000', '010990092000', '010995901000'];
      const reports: [string, string, number, number][] = [
        [a, '2026-01-31', 100, 10], [a, '2026-03-31', 110, 7], [b, '2026-01-31', 50, 5], [b, '2026-02-28', 55, 4],
        [c, '2026-01-31', 20, 2], [d, '2026-02-28', 40, 1],
      ];
      await t.db.query('DELETE FROM capacity_reports');
      for (const [ars, date, housed, free] of reports) {
        await t.db.query(`
          INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
                                        school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
          SELECT id, $2, $4, 0, 0, 1, 1, 1, 0, $3, 0 FROM regions WHERE ars = $1 AND level = 'verband'`, [ars, date, housed, free]);
      }
      const kreis = (await ministry({ url: '/api/dashboard?level=kreis' })).json().rows[0];
      // Not 170 on d1 (three units), then 215 and 225 (four): d1 lacks D, so the series starts at d2.
      expect((kreis.capacity_history as Point[]).map((h) => [h.report_date, h.refugees_housed, h.housing_free, h.kita_free, h.units_reported, h.units_total, h.oldest_report_date])).toEqual([
        ['2026-02-28', 100 + 55 + 20 + 40, 10 + 4 + 2 + 1, 4, 4, 14, '2026-01-31'],
        ['2026-03-31', 110 + 55 + 20 + 40, 7 + 4 + 2 + 1, 4, 4, 14, '2026-01-31'],
      ]);
      const verband = (await ministry({ url: `/api/dashboard?level=verband&parent=${kreis.key}` })).json().rows as { key: string; capacity_history: Point[] }[];
      expect(verband.find((v) => v.key === a)!.capacity_history.map((h) => [h.report_date, h.refugees_housed, h.units_reported, h.units_total, h.oldest_report_date]))
        .toEqual([['2026-01-31', 100, 1, 1, '2026-01-31'], ['2026-03-31', 110, 1, 1, '2026-03-31']]);
      // A unit without a report has no series, and a Verband's series is its own reports.
      expect(verband.find((v) => v.key === '010995902000')!.capacity_history).toEqual([]);
      expect(verband.find((v) => v.key === c)!.capacity_history.map((h) => h.report_date)).toEqual(['2026-01-31']);
    });
  });
}
