import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CAPACITY_FIELDS } from '@ilk/core';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

// The printed report's capacity figures: every unit's latest report now, and the change since
// the previous reporting date over the units that had reported by then.

type Sums = { units: number } & Record<(typeof CAPACITY_FIELDS)[number], number>;
interface Changes { parent: string | null; report_date: string | null; previous_date: string | null; units_total: number; oldest_report_date: string | null; current: Sums; before: Sums; after: Sums }

const INSERT = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
                                school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
  SELECT id, $2, $4, 0, 0, 1, 1, 1, 0, $3, 0 FROM regions WHERE ars = $1 AND level = 'verband'`;

/** Each unit's latest report on or before `day` (all dates when null), summed per field, by hand. */
const BY_HAND = (fields: string) => `
  SELECT count(*)::int AS units, ${fields} FROM regions v
    JOIN LATERAL (SELECT * FROM capacity_reports c WHERE c.region_id = v.id AND ($1::date IS NULL OR c.report_date <= $1)
                   ORDER BY c.report_date DESC, c.id DESC LIMIT 1) c ON true
   WHERE v.level = 'verband' AND v.ars LIKE $2`;
const FIELDS = CAPACITY_FIELDS.map((f) => `coalesce(sum(c.${f}), 0)::int AS ${f}`).join(', ');

for (const kind of BACKENDS) {
  describe(`report changes since the previous reporting date on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    let coordinator: ReturnType<typeof as>;
    let kreis: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
      coordinator = as(app, await login(app, 'coordinator'));
      kreis = (await ministry({ url: '/api/dashboard?level=kreis' })).json().rows[0].key;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });
    const get = async (url: string, who = ministry) => {
      const res = await who({ url });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Changes;
    };
    const byHand = async (day: string | null, prefix = kreis.slice(0, 5)) => (await t.db.query<Sums>(BY_HAND(FIELDS), [day, `${prefix}%`])).rows[0]!;

    it('on the demo: the latest two reporting dates, every unit\'s latest report now, and the units of the previous date at both', async () => {
      const r = await get('/api/dashboard/report');
      expect(r).toMatchObject({ parent: null, report_date: '2026-09-30', previous_date: '2026-06-30', oldest_report_date: '2026-09-30' });
      const units = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM regions WHERE level = 'verband'");
      expect(r.units_total).toBe(units.rows[0]!.n);
      expect(r.current).toEqual(await byHand(null));
      expect(r.before).toEqual(await byHand('2026-06-30'));
      expect(r.before.units).toBeGreaterThan(0);
      expect(r.before.units).toBeLessThan(r.current.units);
      // "after" is "now" for exactly the units that count in "before".
      const after = await t.db.query<Sums>(`${BY_HAND(FIELDS)} AND EXISTS (SELECT 1 FROM capacity_reports p WHERE p.region_id = v.id AND p.report_date <= '2026-06-30')`, [null, `${kreis.slice(0, 5)}%`]);
      expect(r.after).toEqual(after.rows[0]);
      // The same figures for the coordinator of the Kreis, and for the Kreis named as the scope.
      expect(await get('/api/dashboard/report', coordinator)).toEqual(r);
      expect(await get(`/api/dashboard/report?parent=${kreis}`)).toEqual({ ...r, parent: kreis });
    });

    it('carries each unit\'s last report forward and keeps a first report out of the change', async () => {
      // A reports on d1 and d3, B on d1 and d2, C on d1 only, D from d2 on, E first on d3.
      const [a, b, c, d, e] = ['010990019000', '010990072000', '010990092000', '010995901000', '010995902000'];
      await t.db.query('DELETE FROM capacity_reports');
      const reports: [string, string, number, number][] = [
        [a, '2026-01-31', 100, 10], [a, '2026-03-31', 110, 7], [b, '2026-01-31', 50, 5], [b, '2026-02-28', 55, 4],
        [c, '2026-01-31', 20, 2], [d, '2026-02-28', 40, 1], [e, '2026-03-31', 30, 9],
      ];
      for (const [ars, date, housed, free] of reports) await t.db.query(INSERT, [ars, date, housed, free]);
      const r = await get('/api/dashboard/report');
      expect(r).toMatchObject({ report_date: '2026-03-31', previous_date: '2026-02-28', oldest_report_date: '2026-01-31' });
      expect([r.current.units, r.current.refugees_housed, r.current.housing_free]).toEqual([5, 110 + 55 + 20 + 40 + 30, 7 + 4 + 2 + 1 + 9]);
      expect([r.before.units, r.before.refugees_housed, r.before.housing_free]).toEqual([4, 100 + 55 + 20 + 40, 10 + 4 + 2 + 1]);
      expect([r.after.units, r.after.refugees_housed, r.after.housing_free]).toEqual([4, 110 + 55 + 20 + 40, 7 + 4 + 2 + 1]);

      // One Verband as the scope: its own dates.
      const one = await get(`/api/dashboard/report?parent=${b}`);
      expect(one).toMatchObject({ parent: b, report_date: '2026-02-28', previous_date: '2026-01-31', units_total: 1 });
      expect([one.before.refugees_housed, one.after.refugees_housed, one.current.refugees_housed]).toEqual([50, 55, 55]);

      // Nothing reported: no dates, zeros.
      await t.db.query('DELETE FROM capacity_reports');
      const none = await get('/api/dashboard/report');
      expect(none).toMatchObject({ report_date: null, previous_date: null, oldest_report_date: null });
      expect(none.current.units + none.before.units + none.after.units + none.current.refugees_housed).toBe(0);
    });

    it('answers a malformed scope with 400 naming it and an unknown one with 404', async () => {
      const bad = await ministry({ url: '/api/dashboard/report?parent=0109' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/parent/);
      expect((await ministry({ url: '/api/dashboard/report?parent=019990000000' })).statusCode).toBe(404);
      expect((await ministry({ url: '/api/dashboard/report?kreis=1' })).statusCode).toBe(400);
    });
  });
}
