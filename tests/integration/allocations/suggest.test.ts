import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  CRITERION_KEYS,
  computeLegalKey,
  greedyMatching,
  groupProfiles,
  suggestAllocation,
  type AllocationUnit,
  type MatchingProblem,
} from '@ilk/core';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { KREIS, PERIOD, TWELVE, bruteForceOptimum } from './fixtures.ts';

const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

for (const kind of BACKENDS) {
  describe(`allocation suggestions on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let analyst: ReturnType<typeof as>;
    const suggest = (payload: object) => analyst({ method: 'POST', url: '/api/allocations/suggest', payload: { kreis: KREIS, period: PERIOD, ...payload } });
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      analyst = as(app, await login(app, 'analyst'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('loads every unit of the Kreis in one query, with the latest report and derived criteria', async () => {
      const res = await suggest({ mode: 'aggregate', n: 40, weights: {} });
      expect(res.statusCode).toBe(200);
      const { inputs } = res.json();
      const { rows } = await t.db.query<{ n: number }>("SELECT count(*) AS n FROM regions v JOIN regions k ON k.id = v.parent_id WHERE v.level = 'verband' AND k.ars = $1", [KREIS]);
      expect(inputs.units).toHaveLength(rows[0]!.n);
      expect(inputs).toMatchObject({ kreis: KREIS, period: PERIOD, data_as_of: expect.any(String) });
      const demohaven = inputs.units.find((u: AllocationUnit) => u.key === '010990019000');
      // data/demo/capacity-reports.json: the report of 2026-09-30 is the latest.
      expect(demohaven).toMatchObject({ report_date: '2026-09-30', prior_intake: 29, housing_free: 31, housing_free_barrier_free: 5, shared_accommodation_places: 127 });
      expect(demohaven.criteria).toMatchObject({ kita_free: 41, school_free: 51, language_course_free: 17 });
      expect(demohaven.criteria.load).toBeCloseTo((216 * 1000) / demohaven.population, 9);
      expect(demohaven.criteria.health_care).toBeGreaterThanOrEqual(4);
      const { rows: open } = await t.db.query<{ n: number }>(`
        SELECT count(*) AS n FROM needs n JOIN regions r ON r.id = n.region_id
         WHERE n.status <> 'erledigt' AND (r.ars = $1 AND r.level = 'verband' OR r.parent_id = (SELECT id FROM regions WHERE level = 'verband' AND ars = $1))`, ['010990019000']);
      expect(demohaven.criteria.open_needs).toBe(open[0]!.n);
    });

    it('counts only the period\'s own report as prior intake', async () => {
      const units = (await suggest({ mode: 'aggregate', n: 10, weights: {}, period: 2025 })).json().inputs.units as AllocationUnit[];
      // The 2025-12-31 report of Demohaven says 39 received in 2025; other units reported only in 2026.
      expect(units.find((u) => u.key === '010990019000')!.prior_intake).toBe(39);
      expect(units.find((u) => u.key === '010990072000')!.prior_intake).toBe(0);
    });

    it('computes exactly what the core engine computes on the inputs it reports', async () => {
      const request = { mode: 'aggregate', n: 40, weights: { kita_free: 1, load: 0.5, labour_market: 0.3, open_needs: 0.2 }, max_deviation: { unit: 'percent', value: 100 }, shared_accommodation_credit: 0.1 };
      const body = (await suggest(request)).json();
      const { mode: _m, ...engineInput } = request;
      expect(body.result).toEqual(wire(suggestAllocation({ ...engineInput, units: body.inputs.units } as never)));
      expect(body.legal_key).toEqual(wire(computeLegalKey(body.inputs.units, 40, { shared_accommodation_credit: 0.1 })));
      expect(body.result.units.reduce((s: number, u: { seats: number }) => s + u.seats, 0)).toBe(40);
    });

    it('gives the legal key itself when every weight is zero', async () => {
      const weights = Object.fromEntries(CRITERION_KEYS.map((k) => [k, 0]));
      // The property holds while the legal seats respect the hard caps: the largest such N.
      const units = (await suggest({ mode: 'aggregate', n: 0, weights })).json().inputs.units as AllocationUnit[];
      const housing = new Map(units.map((u) => [u.key, u.housing_free]));
      const fits = (n: number) => computeLegalKey(units, n).units.every((s) => s.seats <= housing.get(s.key)!);
      const n = [40, 35, 30, 25, 20, 15, 10].find(fits)!;
      const body = (await suggest({ mode: 'aggregate', n, weights })).json();
      const seats = body.result.units.map((u: { key: string; seats: number }) => [u.key, u.seats]);
      expect(seats).toEqual(body.legal_key.units.map((u: { key: string; seats: number }) => [u.key, u.seats]));
      for (const u of body.result.units) expect(u.deviation_persons).toBe(0);
    });

    it('answers an infeasible request with 422 and the binding constraints', async () => {
      const res = await suggest({ mode: 'aggregate', n: 20, weights: {}, bounds: { '010990019000': { min: 15 }, '010995901000': { min: 10 } } });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json();
      expect(problem.type).toMatch(/allocation-infeasible$/);
      expect(problem.infeasibility).toMatchObject({ reason: 'minimums_exceed_total', shortfall: 5 });
      expect(problem.infeasibility.binding).toEqual(expect.arrayContaining([
        { unit_key: '010990019000', kind: 'minimum', value: 15 },
        { unit_key: '010995901000', kind: 'minimum', value: 10 },
      ]));
      const full = (await suggest({ mode: 'aggregate', n: 100_000, weights: {} })).json();
      expect(full.infeasibility).toMatchObject({ reason: 'insufficient_capacity' });
      expect(full.infeasibility.binding.every((b: { kind: string }) => ['housing_cap', 'excluded', 'maximum'].includes(b.kind))).toBe(true);
    });

    it('names bad fields with 400', async () => {
      const res = await suggest({ mode: 'aggregate', n: -1, weights: { kita: 1, load: 11 }, excluded: ['010990000001'] });
      expect(res.statusCode).toBe(400);
      const fields = res.json().errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['/n', '/weights/kita', '/weights/load']));
      expect(fields).not.toContain('/');
      const unknownUnit = await suggest({ mode: 'aggregate', n: 5, weights: {}, bounds: { '010990000001': { max: 1 } } });
      expect(unknownUnit.json().errors).toEqual([{ field: '/bounds/010990000001', message: 'is not an allocation unit of the Kreis' }]);
      expect((await suggest({ mode: 'aggregate', n: 5, weights: {}, kreis: '019990000000' })).statusCode).toBe(404);
      expect((await suggest({ mode: 'lottery', n: 5, weights: {} })).json().errors[0].field).toBe('/mode');
    });

    it('refuses household data that could identify anyone', async () => {
      const named = await suggest({ mode: 'households', households: [{ size: 2, name: 'Muster' }], weights: {} });
      expect(named.statusCode).toBe(400);
      expect(named.json().errors).toEqual([{ field: '/households/0/name', message: 'is not a known field' }]);
      const csv = await suggest({ mode: 'households', csv: 'Personen;Aktenzeichen\n3;AZ-1', weights: {} });
      expect(csv.statusCode).toBe(400);
      expect(csv.json().errors[0]).toMatchObject({ field: '/csv', message: expect.stringMatching(/aktenzeichen: identifying column/) });
    });

    it('places households with HiGHS, proven optimal and equal to an exhaustive search', async () => {
      const weights = { kita_free: 1, school_free: 0.5, load: 1, labour_market: 0.5, health_care: 0.5, language_match: 0.5 };
      const res = await suggest({ mode: 'households', households: TWELVE, weights, time_limit: 30 });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.solver).toMatchObject({ method: 'highs', status: 'Optimal', optimal: true, gap: 0, time_limit: 30 });
      const problem: MatchingProblem = { units: body.inputs.units, groups: groupProfiles(TWELVE), weights };
      const optimum = bruteForceOptimum(problem)!;
      expect(body.result.objective).toBeCloseTo(optimum, 6);
      expect(body.solver.bound).toBeCloseTo(optimum, 6);
      // Capacities bind here: the greedy placement is worse, and its bound (everyone in their
      // best unit) is not reachable.
      const greedy = greedyMatching(problem);
      expect(greedy.objective).toBeLessThan(optimum - 1e-6);
      expect(greedy.upper_bound).toBeGreaterThan(optimum + 1e-6);
      expect(body.result).toMatchObject({ n: 34, households: 12 });
      expect(body.result.units.reduce((s: number, u: { seats: number }) => s + u.seats, 0)).toBe(34);
      expect(body.legal_key.n).toBe(34);
    });

    it('reads pasted CSV like the JSON profiles', async () => {
      const csv = 'Personen;Kinder_3_5;Sprachen\n2;0;uk\n2;1;ar\n';
      const res = await suggest({ mode: 'households', csv, weights: { kita_free: 1 } });
      expect(res.statusCode).toBe(200);
      expect(res.json().result).toMatchObject({ n: 4, households: 2 });
      expect(res.json().solver.method).toBe('highs');
    });

    it('reports a household that fits nowhere as infeasible', async () => {
      const res = await suggest({ mode: 'households', households: [{ size: 90 }], weights: {} });
      expect(res.statusCode).toBe(422);
      expect(res.json().infeasibility).toMatchObject({ reason: 'unplaceable_households', shortfall: 90, unplaceable: [{ group: 0, households: 1 }] });
    });
  });
}
