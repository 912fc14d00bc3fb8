import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { KREIS, PERIOD } from './fixtures.ts';

// A decision records why: the justification is required, stored with the plan, shown in its
// history and printed on the decision sheet.
const AGGREGATE = { kreis: KREIS, period: PERIOD + 3, mode: 'aggregate', n: 12, weights: {} };
const WHY = 'Beschluss des Kreisausschusses vom 3. Dezember <2026>:\nVerteilung nach Schlüssel.';

for (const kind of BACKENDS) {
  describe(`decision justification on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let ministry: ReturnType<typeof as>;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      ministry = as(app, await login(app, 'ministry'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const save = async (name: string) => {
      const { result } = (await coord({ method: 'POST', url: '/api/allocations/suggest', payload: AGGREGATE })).json();
      const res = await coord({ method: 'POST', url: '/api/allocations/plans', payload: { name, request: AGGREGATE, result } });
      expect(res.statusCode, res.body).toBe(201);
      return { id: res.json().id as number, etag: res.headers.etag as string };
    };
    const decide = (id: number, etag: string, payload?: Record<string, unknown>) =>
      coord({ method: 'POST', url: `/api/allocations/plans/${id}/decide`, headers: { 'if-match': etag }, ...(payload === undefined ? {} : { payload }) });

    it('refuses a decision without a justification of 10 to 4000 characters, naming the field, and changes nothing', async () => {
      const plan = await save('Ohne Begründung');
      for (const payload of [{}, { justification: 'zu kurz' }, { justification: '          x         ' }, { justification: 'x'.repeat(4001) }, { justification: null }]) {
        const res = await decide(plan.id, plan.etag, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(payload)).toContain('/justification');
      }
      const res = await decide(plan.id, plan.etag);
      expect(res.statusCode).toBe(400);
      const stored = (await coord({ url: `/api/allocations/plans/${plan.id}` })).json();
      expect(stored).toMatchObject({ status: 'draft', version: 1, justification: null });
    });

    it('stores the justification with the plan, in its history and on the decision sheet', async () => {
      const plan = await save('Mit Begründung');
      const res = await decide(plan.id, plan.etag, { justification: `  ${WHY}  ` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'decided', justification: WHY });
      expect((await ministry({ url: `/api/allocations/plans/${plan.id}` })).json().justification).toBe(WHY);

      const history = (await ministry({ url: `/api/history/plan/${plan.id}` })).json().entries;
      expect(history.map((e: { action: string }) => e.action)).toEqual(['create', 'decide']);
      expect(history[1]).toMatchObject({ actor: 'Demo Koordination', text: WHY });
      expect(history[1].changes).toContainEqual({ field: 'status', from: 'draft', to: 'decided' });

      const sheet = (await coord({ url: `/api/allocations/plans/${plan.id}/sheet` })).body;
      expect(sheet).toContain('Begründung');
      expect(sheet).toContain('Beschluss des Kreisausschusses vom 3. Dezember &lt;2026&gt;:<br>Verteilung nach Schlüssel.');
    });
  });
}
