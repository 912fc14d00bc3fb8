import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  PlanCompareParamsSchema,
  PlanInputSchema,
  PlanParamsSchema,
  PlanQuerySchema,
  SuggestRequestSchema,
  type PlanInput,
  type PlanQuery,
  type SuggestRequest,
} from '@ilk/core';
import { PlanDecisionSchema, type PlanDecision } from '@ilk/core/schemas/history';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import * as plans from '../../repositories/allocation-plans.repository.ts';
import { listSources } from '../../repositories/meta.repository.ts';
import { suggest } from '../../services/allocation.service.ts';
import { comparePlans, decidePlan, deletePlan, getPlan, PLAN_KIND, savePlan } from '../../services/allocation-plans.service.ts';
import { exportUnits, planCsv, planGeoJson } from '../../services/allocation-export.ts';
import { decisionSheet } from '../../services/allocation-sheet.ts';
import { recordEtag } from '../../services/etag.ts';
import { sendExport } from '../../services/export.ts';
import { stopHighs } from '../../services/highs-solver.ts';

type Params = { id: number };

// Allocation planning (docs/allocation.md): the server runs the same engine as the browser, on
// inputs it loads itself, and keeps the plans that are saved and decided.
export default async function allocationRoutes(app: FastifyInstance) {
  app.addHook('onClose', stopHighs);
  const plan = { tags: ['allocations'], params: PlanParamsSchema };

  app.post('/suggest', { config: { roles: READERS }, schema: { tags: ['allocations'], summary: 'Compute a suggestion (aggregate or households) on the server', body: SuggestRequestSchema } }, async (request) => {
    const { inputs, result, legal_key, solver } = await suggest(app.db, request.body as SuggestRequest);
    return { inputs, result, legal_key, ...(solver ? { solver } : {}) };
  });

  app.post('/plans', { config: { roles: EDITORS }, schema: { tags: ['allocations'], summary: 'Save a plan; its result is checked against the engine', body: PlanInputSchema } }, async (request, reply) => {
    const saved = await savePlan(app.db, request.user!, request, request.body as PlanInput);
    return reply.code(201).header('etag', recordEtag(PLAN_KIND, saved.id, saved.version)).header('location', `/api/allocations/plans/${saved.id}`).send(saved);
  });

  app.get('/plans', { config: { roles: READERS }, schema: { tags: ['allocations'], summary: 'Plans, newest first', querystring: PlanQuerySchema } }, async (request) => {
    const q = request.query as PlanQuery;
    return plans.list(app.db, { kreis: q.kreis ?? null, status: q.status ?? null, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  });

  app.get('/plans/:id', { config: { roles: READERS }, schema: { ...plan, summary: 'One plan with inputs, result and solver report' } }, async (request, reply) => {
    const found = await getPlan(app.db, (request.params as Params).id);
    return reply.header('etag', recordEtag(PLAN_KIND, found.id, found.version)).send(found);
  });

  app.get('/plans/:id/compare/:other', { config: { roles: READERS }, schema: { tags: ['allocations'], summary: 'Two plans side by side per unit', params: PlanCompareParamsSchema } }, async (request) => {
    const { id, other } = request.params as { id: number; other: number };
    return comparePlans(app.db, id, other);
  });

  app.post('/plans/:id/decide', { config: { roles: EDITORS }, schema: { ...plan, body: PlanDecisionSchema, summary: 'Decide a draft with a written justification (If-Match required); records the intake per unit' } }, async (request, reply) => {
    const decided = await decidePlan(app.db, request.user!, request, (request.params as Params).id, (request.body as PlanDecision).justification);
    return reply.header('etag', recordEtag(PLAN_KIND, decided.id, decided.version)).send(decided);
  });

  app.delete('/plans/:id', { config: { roles: EDITORS }, schema: { ...plan, summary: 'Delete a draft (If-Match required)' } }, async (request, reply) => {
    await deletePlan(app.db, request.user!, request, (request.params as Params).id);
    return reply.code(204).send();
  });

  for (const format of ['csv', 'geojson'] as const) {
    app.get(`/plans/:id/export.${format}`, { config: { roles: READERS }, schema: { ...plan, summary: `A plan's units as ${format}; small household counts withheld for ministry and analyst` } }, async (request, reply) => {
      const found = await getPlan(app.db, (request.params as Params).id);
      const units = exportUnits(found, request.user!.role);
      const body = format === 'csv' ? planCsv(found, units) : JSON.stringify(await planGeoJson(app.db, found, units));
      return sendExport(reply, `verteilungsplan-${found.id}`, format, Readable.from([body]));
    });
  }

  app.get('/plans/:id/sheet', { config: { roles: READERS }, schema: { ...plan, summary: 'Printable decision sheet (HTML, German)' } }, async (request, reply) => {
    const found = await getPlan(app.db, (request.params as Params).id);
    const html = decisionSheet(found, exportUnits(found, request.user!.role), await listSources(app.db));
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}
