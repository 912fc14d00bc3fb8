import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { computeLegalKey, type AllocationInputUnit, type LegalKeyResult } from '@ilk/core';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';

// Issue 15, section 2, on real official data: Kreis Herzogtum Lauenburg (01053) straight after
// the import, before any Amt has reported capacities. The legal key is owed all the same.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const LAUENBURG = {
  scope: { level: 'kreis' as const, key: '01053' },
  boundaries: join(VG, 'VG5000_GEM.shp'),
  verbaende: join(VG, 'VG5000_VWG.shp'),
  population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
};
const KREIS = '010530000000';
const PERIOD = 2026;
const AGGREGATE = { kreis: KREIS, period: PERIOD, mode: 'aggregate', n: 100, weights: {} };

for (const kind of BACKENDS) {
  describe(`unknown capacities on official data (Kreis 01053) on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let admin: ReturnType<typeof as>;
    const suggest = (payload: object) => admin({ method: 'POST', url: '/api/allocations/suggest', payload });

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      // The template holds the demo district; it stays beside the real Kreis (the accounts
      // these tests log in with are the demo's), which the import allows only when asked.
      await importOfficial(t.db, { ...LAUENBURG, keepDemo: true });
      app = await buildTestApp(t.db);
      admin = as(app, await login(app, 'admin'));
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('loads every unit as unknown (null, not 0), with the date it came into the database', async () => {
      const res = await suggest({ ...AGGREGATE, n: 0 });
      expect(res.statusCode, res.body).toBe(200);
      const units = res.json().inputs.units as AllocationInputUnit[];
      const { rows } = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM regions v JOIN regions k ON k.id = v.parent_id WHERE v.level = 'verband' AND k.ars = $1", [KREIS]);
      expect(units.length).toBe(rows[0]!.n);
      expect(units.length).toBeGreaterThan(5);
      for (const u of units) {
        expect(u).toMatchObject({ report_date: null, housing_free: null, housing_free_barrier_free: null, prior_intake: 0 });
        expect(Date.parse(u.known_since)).toBeLessThanOrEqual(Date.now());
        // No report: no report-based criterion is made up as 0.
        expect(u.criteria).not.toHaveProperty('kita_free');
        expect(u.criteria).not.toHaveProperty('housing_free');
        expect(u.criteria).not.toHaveProperty('load');
      }
    });

    it("answers N = 100 counted as no room with 422, the infeasibility naming the unknown units, and the legal key beside it", async () => {
      const res = await suggest({ ...AGGREGATE, unknown_capacity: 'none' });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.type).toMatch(/allocation-infeasible$/);
      expect(body.infeasibility).toMatchObject({ reason: 'insufficient_capacity', shortfall: 100 });
      const units = body.inputs.units as AllocationInputUnit[];
      expect(body.infeasibility.binding).toEqual(units.map((u) => ({ unit_key: u.key, kind: 'unknown_capacity', value: 0 })));
      const legal = body.legal_key as LegalKeyResult;
      expect(legal).toEqual(JSON.parse(JSON.stringify(computeLegalKey(units, 100))));
      expect(legal.units.reduce((s, u) => s + u.seats, 0)).toBe(100);
      // Population key: the largest unit gets the most.
      const largest = [...units].sort((a, b) => b.population - a.population)[0]!;
      expect(Math.max(...legal.units.map((u) => u.seats))).toBe(legal.units.find((u) => u.key === largest.key)!.seats);
      // "none" is the default.
      const byDefault = await suggest(AGGREGATE);
      expect(byDefault.statusCode).toBe(422);
      expect(byDefault.json().legal_key).toEqual(legal);
    });

    it('answers with the legal key in household mode too', async () => {
      const households = [{ size: 4, children_3_5: 1, children_6_17: 1 }, { size: 1 }];
      const res = await suggest({ kreis: KREIS, period: PERIOD, mode: 'households', households, weights: {}, time_limit: 5 });
      expect(res.statusCode).toBe(422);
      const body = res.json();
      expect(body.infeasibility.reason).toBe('unplaceable_households');
      expect(body.legal_key.n).toBe(5);
      expect(body.legal_key.units.reduce((s: number, u: { seats: number }) => s + u.seats, 0)).toBe(5);
      const placed = await suggest({ kreis: KREIS, period: PERIOD, mode: 'households', households, weights: {}, time_limit: 5, unknown_capacity: 'unlimited' });
      expect(placed.statusCode, placed.body).toBe(200);
      expect(placed.json().result.households).toBe(2);
    });

    it('suggests a plan counted as unlimited, saves it with the choice and prints the choice on the sheet', async () => {
      const request = { ...AGGREGATE, unknown_capacity: 'unlimited', max_deviation: { unit: 'percent', value: 20 } };
      const res = await suggest(request);
      expect(res.statusCode, res.body).toBe(200);
      const { result, legal_key } = res.json();
      expect(result.ok).toBe(true);
      expect(result.units.reduce((s: number, u: { seats: number }) => s + u.seats, 0)).toBe(100);
      // All weights zero and nothing binding: the suggestion is the legal key itself.
      expect(result.units.map((u: { seats: number }) => u.seats)).toEqual(legal_key.units.map((u: { seats: number }) => u.seats));

      const saved = await admin({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'Erste Verteilung 01053', request, result } });
      expect(saved.statusCode, saved.body).toBe(201);
      const plan = saved.json();
      expect(plan.inputs.request.unknown_capacity).toBe('unlimited');
      const read = await admin({ url: `/api/allocations/plans/${plan.id}` });
      expect(read.json().inputs.request.unknown_capacity).toBe('unlimited');

      const sheet = await admin({ url: `/api/allocations/plans/${plan.id}/sheet` });
      expect(sheet.statusCode).toBe(200);
      expect(sheet.body).toContain('Unbekannte Kapazitäten');
      expect(sheet.body).toContain('gezählt als unbegrenzt');
      expect(sheet.body).toContain(`${result.units.length} von ${result.units.length} Einheiten ohne Meldung`);
      expect(sheet.body).toContain(result.units[0].name);
    });

    it('refuses to save an infeasible request and stores the default choice explicitly', async () => {
      const refused = await admin({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'geht nicht', request: AGGREGATE, result: { units: [] } } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().legal_key.n).toBe(100);
      const zero = { ...AGGREGATE, n: 0 };
      const { result } = (await suggest(zero)).json();
      const saved = await admin({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'Null', request: zero, result } });
      expect(saved.statusCode, saved.body).toBe(201);
      expect(saved.json().inputs.request.unknown_capacity).toBe('none');
      const sheet = (await admin({ url: `/api/allocations/plans/${saved.json().id}/sheet` })).body;
      expect(sheet).toContain('gezählt als kein freier Platz (0)');
    });

    it('counts a unit as known once it has reported, even a reported 0', async () => {
      const units = (await suggest({ ...AGGREGATE, n: 0 })).json().inputs.units as AllocationInputUnit[];
      const first = units[0]!;
      const report = { report_date: '2026-11-30', housing_free: 0, housing_free_barrier_free: 0, shared_accommodation_places: 0, kita_free: 2, school_free: 3, language_course_free: 0, gp_accepting: 1, refugees_housed: 10, intake_ytd: 4 };
      const posted = await admin({ method: 'POST', url: `/api/regions/${first.key}/capacity`, payload: report });
      expect(posted.statusCode, posted.body).toBe(201);
      const res = await suggest({ ...AGGREGATE, unknown_capacity: 'unlimited' });
      expect(res.statusCode, res.body).toBe(200);
      const after = res.json();
      const unit = after.inputs.units.find((u: AllocationInputUnit) => u.key === first.key);
      expect(unit).toMatchObject({ report_date: '2026-11-30', housing_free: 0, prior_intake: 4 });
      // The reported 0 caps the unit, whatever the choice for unknown ones.
      expect(after.result.units.find((u: { key: string }) => u.key === first.key)).toMatchObject({ seats: 0, binding: ['housing_cap'] });
    });
  });
}
