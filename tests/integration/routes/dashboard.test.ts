import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

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

    it('builds the capacity history from each Verband\'s latest report at every reporting date', async () => {
      const kreis = (await ministry({ url: '/api/dashboard?level=kreis' })).json().rows[0];
      const history = kreis.capacity_history as { report_date: string; housing_free: number }[];
      expect(history.length).toBeGreaterThan(1);
      expect(history.map((h) => h.report_date)).toEqual([...history.map((h) => h.report_date)].sort());
      const last = history[history.length - 1]!;
      const { rows } = await t.db.query<{ s: number }>(`
        SELECT sum(c.housing_free)::int AS s FROM regions v
          JOIN LATERAL (SELECT housing_free FROM capacity_reports c WHERE c.region_id = v.id AND c.report_date <= $1
                         ORDER BY report_date DESC, id DESC LIMIT 1) c ON true WHERE v.level = 'verband'`, [last.report_date]);
      expect(last.housing_free).toBe(rows[0]!.s);
    });
  });
}
