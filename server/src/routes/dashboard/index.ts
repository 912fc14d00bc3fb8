import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { Ars, REGION_LEVELS } from '@ilk/core';
import { READERS, type AuthUser } from '../../plugins/auth.ts';
import { notFound } from '../../errors.ts';
import * as dashboard from '../../repositories/dashboard.repository.ts';
import { arsPrefix, levelOf } from '../../repositories/region-layer.repository.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { layerEtag, notModified } from '../../services/etag.ts';
import { assertMayRead, readableDistricts } from '../../services/read-scope.ts';
import { assertMayReadLevel } from '../../services/coverage.service.ts';
import { ReportChanges, ReportQuery, type ReportQuery as ReportQueryT } from '@ilk/core/schemas/report';
import { reportChanges } from '../../repositories/report-changes.repository.ts';

const DashboardQuery = Type.Object({ level: Type.Enum([...REGION_LEVELS]), parent: Type.Optional(Ars) }, { additionalProperties: false });

// The Ministry dashboard's numbers per region (drill down with level and parent): offers,
// places and free places per category, open needs, and capacity history for sparklines.
export default async function dashboardRoutes(app: FastifyInstance) {
  app.get('/', {
    config: { roles: READERS },
    schema: { tags: ['coverage'], summary: 'Per region of a level: offers, places and free places per category, open needs, capacity history', querystring: DashboardQuery },
  }, async (request, reply) => {
    const q = request.query as Static<typeof DashboardQuery>;
    assertMayReadLevel(request.user!, q.level);
    const districts = readableDistricts(request.user!);
    const revision = await layerRevision(app.db, ['regions', 'offers', 'needs', 'capacity']);
    if (notModified(request, reply, layerEtag(revision, ['dashboard', q, districts]))) return reply;
    let prefix: string | null = null;
    if (q.parent) {
      const level = await levelOf(app.db, q.parent);
      if (!level) throw notFound(`region ${q.parent}`);
      assertMayRead(request.user!, q.parent, 'the region');
      prefix = arsPrefix(level, q.parent);
    }
    return { level: q.level, parent: q.parent ?? null, rows: await dashboard.summary(app.db, q.level, prefix, districts) };
  });

  // The printed report's capacity figures: now, and the change since the previous reporting date.
  app.get('/report', {
    config: { roles: READERS },
    schema: {
      tags: ['coverage'], querystring: ReportQuery, response: { 200: ReportChanges },
      summary: "Capacity figures of a scope at its latest reporting date and the change since the previous one (over the units that had reported by then)",
    },
  }, async (request, reply) => {
    const q = request.query as ReportQueryT;
    const districts = readableDistricts(request.user!);
    const revision = await layerRevision(app.db, ['regions', 'capacity']);
    if (notModified(request, reply, layerEtag(revision, ['dashboard-report', q, districts]))) return reply;
    const prefix = q.parent ? await scopePrefix(app, request.user!, q.parent) : null;
    return { parent: q.parent ?? null, ...(await reportChanges(app.db, prefix, districts)) };
  });
}

/** The ARS prefix below a region the user may read; 404 for an unknown one. */
async function scopePrefix(app: FastifyInstance, user: AuthUser, parent: string): Promise<string> {
  const level = await levelOf(app.db, parent);
  if (!level) throw notFound(`region ${parent}`);
  assertMayRead(user, parent, 'the region');
  return arsPrefix(level, parent);
}
