import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { KREIS, PERIOD, TWELVE } from './fixtures.ts';

type Unit = { key: string; seats: number; prior_intake: number; decided_intake: number };
const AGGREGATE = { kreis: KREIS, period: PERIOD, mode: 'aggregate', n: 30, weights: { kita_free: 1, load: 0.5 }, max_deviation: { unit: 'percent', value: 100 } };

for (const kind of BACKENDS) {
  describe(`allocation plans on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let analyst: ReturnType<typeof as>;

    const suggest = async (request: object) => {
      const res = await coord({ method: 'POST', url: '/api/allocations/suggest', payload: request });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    /** Computes and saves a plan as the browser would: the suggestion's result, unchanged. */
    const save = async (name: string, request: object = AGGREGATE) => {
      const { result } = await suggest(request);
      const res = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name, request, result } });
      expect(res.statusCode, res.body).toBe(201);
      return { plan: res.json(), etag: res.headers.etag as string };
    };
    const decide = (id: number, etag?: string) =>
      coord({ method: 'POST', url: `/api/allocations/plans/${id}/decide`, headers: etag ? { 'if-match': etag } : {}, payload: { justification: 'Beschluss der Koordinierungsrunde.' } });

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('saves a plan with its inputs, result and data date, and audits it', async () => {
      const { plan, etag } = await save('Oktober, Variante A');
      expect(etag).toBe(`"allocation_plan-${plan.id}-v1"`);
      expect(plan).toMatchObject({ kreis: KREIS, mode: 'aggregate', period: PERIOD, status: 'draft', n: 30, version: 1, created_by: 'coordinator@demo.local', decided_at: null });
      // Stored as computed: how unknown capacities counted is always explicit (default 'none').
      expect(plan.inputs.request).toEqual({ ...AGGREGATE, unknown_capacity: 'none' });
      expect(plan.inputs.units).toHaveLength(14);
      expect(plan.data_as_of).toEqual(expect.any(String));
      const read = await analyst({ url: `/api/allocations/plans/${plan.id}` });
      expect(read.headers.etag).toBe(etag);
      expect(read.json().result).toEqual(plan.result);
      const { rows } = await t.db.query("SELECT action FROM audit_log WHERE entity = 'allocation_plan' AND entity_id = $1", [String(plan.id)]);
      expect(rows).toEqual([{ action: 'create' }]);
    });

    it('refuses a result that differs from what the engine computes', async () => {
      const { result } = await suggest(AGGREGATE);
      const [from, to] = result.units.filter((u: Unit) => u.seats > 0);
      from.seats -= 1;
      to.seats += 1;
      const res = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'manipuliert', request: AGGREGATE, result } });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toMatch(/allocation-result-mismatch$/);
      expect(res.json().differences).toEqual([
        { key: from.key, submitted: from.seats, engine: from.seats + 1 },
        { key: to.key, submitted: to.seats, engine: to.seats - 1 },
      ].sort((a, b) => (a.key < b.key ? -1 : 1)));
    });

    it('checks a household plan against the engine, refusing a moved household', async () => {
      const request = { kreis: KREIS, period: PERIOD, mode: 'households', households: TWELVE, weights: { kita_free: 1, load: 1, language_match: 0.5 } };
      const { result, solver } = await suggest(request);
      expect(solver.optimal).toBe(true);
      const moved = structuredClone(result);
      const p = moved.placements[0];
      const other = moved.units.find((u: Unit) => u.key !== p.unit_key && u.seats === 0 && u.key !== '010990030000');
      p.unit_key = other.key;
      const refused = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'verschoben', request, result: moved } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().type).toMatch(/allocation-result-mismatch$/);
      const named = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'mit Namen', request: { ...request, households: [{ size: 2, vorname: 'A' }] }, result } });
      expect(named.statusCode).toBe(400);
      const saved = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'Haushalte', request, result } });
      expect(saved.statusCode, saved.body).toBe(201);
      expect(saved.json()).toMatchObject({ mode: 'households', n: 34, solver: { method: 'highs', optimal: true } });
      expect(saved.json().result.placements).toEqual(result.placements);
    });

    it('requires If-Match to decide, and refuses a stale one', async () => {
      const { plan } = await save('ohne Vorbedingung');
      expect((await decide(plan.id)).statusCode).toBe(428);
      expect((await decide(plan.id, `"allocation_plan-${plan.id}-v7"`)).statusCode).toBe(412);
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM allocation_intakes WHERE plan_id = $1', [plan.id]);
      expect(rows[0]!.n).toBe(0);
    });

    it('records the intake when deciding, and the next suggestion credits it', async () => {
      const before = (await suggest(AGGREGATE)).inputs.units as Unit[];
      const { plan, etag } = await save('Beschluss November');
      const res = await decide(plan.id, etag);
      expect(res.statusCode, res.body).toBe(200);
      const decided = res.json();
      expect(decided).toMatchObject({ status: 'decided', version: 2, decided_by: 'coordinator@demo.local', decided_at: expect.any(String) });
      expect(res.headers.etag).toBe(`"allocation_plan-${plan.id}-v2"`);
      const seats = (plan.result.units as Unit[]).filter((u) => u.seats > 0);
      expect(decided.intakes.map((i: { key: string; persons: number; period: number }) => [i.key, i.persons, i.period])).toEqual(seats.map((u) => [u.key, u.seats, PERIOD]));
      const after = (await suggest(AGGREGATE)).inputs.units as Unit[];
      after.forEach((u, i) => {
        const added = seats.find((s) => s.key === u.key)?.seats ?? 0;
        expect(u.prior_intake).toBe(before[i]!.prior_intake + added);
        expect(u.decided_intake).toBe(before[i]!.decided_intake + added);
      });
      expect(after.reduce((s, u) => s + u.prior_intake, 0)).toBe(before.reduce((s, u) => s + u.prior_intake, 0) + 30);
      const { rows } = await t.db.query("SELECT action FROM audit_log WHERE entity = 'allocation_plan' AND entity_id = $1 ORDER BY id", [String(plan.id)]);
      expect(rows).toEqual([{ action: 'create' }, { action: 'decide' }]);
      // The intake of another year is not credited.
      const other = (await suggest({ ...AGGREGATE, period: PERIOD + 1 })).inputs.units as Unit[];
      expect(other.every((u) => u.decided_intake === 0)).toBe(true);
    });

    it('never changes a decision: deciding again or deleting is 409', async () => {
      const { plan, etag } = await save('einmalig');
      const first = await decide(plan.id, etag);
      expect(first.statusCode).toBe(200);
      for (const tag of [etag, first.headers.etag as string]) {
        const again = await decide(plan.id, tag);
        expect(again.statusCode).toBe(409);
        expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
        const del = await coord({ method: 'DELETE', url: `/api/allocations/plans/${plan.id}`, headers: { 'if-match': tag } });
        expect(del.statusCode).toBe(409);
      }
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM allocation_intakes WHERE plan_id = $1', [plan.id]);
      expect(rows[0]!.n).toBeGreaterThan(0);
    });

    it('lets exactly one of two concurrent decisions win', async () => {
      const { plan, etag } = await save('gleichzeitig');
      const results = await Promise.all([decide(plan.id, etag), decide(plan.id, etag)]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses[0]).toBe(200);
      expect([409, 412]).toContain(statuses[1]);
      const { rows } = await t.db.query<{ n: number; persons: number }>('SELECT count(*) AS n, coalesce(sum(persons), 0) AS persons FROM allocation_intakes WHERE plan_id = $1', [plan.id]);
      expect(rows[0]!.persons).toBe(30);
      const audits = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'decide' AND entity_id = $1", [String(plan.id)]);
      expect(audits.rows).toHaveLength(1);
    });

    it('refuses to decide a plan computed before another decision of the same period', async () => {
      const a = await save('Variante A');
      const b = await save('Variante B');
      expect((await decide(a.plan.id, a.etag)).statusCode).toBe(200);
      const late = await decide(b.plan.id, b.etag);
      expect(late.statusCode).toBe(409);
      expect(late.json().detail).toMatch(/compute it again/);
    });

    it('deletes drafts with If-Match, lists and compares plans', async () => {
      const a = await save('Vergleich A');
      const b = await save('Vergleich B', { ...AGGREGATE, weights: { labour_market: 1 } });
      const listed = (await analyst({ url: `/api/allocations/plans?kreis=${KREIS}&status=draft` })).json();
      expect(listed.plans.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([a.plan.id, b.plan.id]));
      expect(listed.plans.every((p: { status: string; inputs?: unknown }) => p.status === 'draft' && p.inputs === undefined)).toBe(true);
      expect(listed.total).toBe(listed.plans.length);
      const decidedOnly = (await analyst({ url: '/api/allocations/plans?status=decided' })).json();
      expect(decidedOnly.plans.every((p: { status: string }) => p.status === 'decided')).toBe(true);

      const cmp = (await analyst({ url: `/api/allocations/plans/${a.plan.id}/compare/${b.plan.id}` })).json();
      expect(cmp.plan.id).toBe(a.plan.id);
      expect(cmp.units).toHaveLength(14);
      for (const u of cmp.units) {
        const [x, y] = [a.plan.result.units.find((v: Unit) => v.key === u.key), b.plan.result.units.find((v: Unit) => v.key === u.key)];
        expect(u.plan).toEqual({ seats: x.seats, legal_seats: x.legal_seats, deviation_persons: x.deviation_persons });
        expect(u.difference).toBe(x.seats - y.seats);
      }
      expect(cmp.units.reduce((s: number, u: { difference: number }) => s + u.difference, 0)).toBe(0);

      expect((await coord({ method: 'DELETE', url: `/api/allocations/plans/${a.plan.id}` })).statusCode).toBe(428);
      expect((await coord({ method: 'DELETE', url: `/api/allocations/plans/${a.plan.id}`, headers: { 'if-match': a.etag } })).statusCode).toBe(204);
      expect((await analyst({ url: `/api/allocations/plans/${a.plan.id}` })).statusCode).toBe(404);
      expect((await analyst({ url: `/api/allocations/plans/${a.plan.id}/compare/${b.plan.id}` })).statusCode).toBe(404);
    });
  });
}
