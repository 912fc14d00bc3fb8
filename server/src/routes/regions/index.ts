import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { Ars, CapacityReportInput, REGION_LEVELS, type CapacityReportInput as CapacityInputT } from '@ilk/core';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import { appendCapacityReport } from '../../services/capacity.service.ts';
import { assertMayRead, readableDistricts } from '../../services/read-scope.ts';
import { notFound } from '../../errors.ts';
import * as layer from '../../repositories/region-layer.repository.ts';
import * as capacity from '../../repositories/capacity.repository.ts';
import { streamFeatureCollection } from '../../services/layer-stream.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { layerEtag, notModified } from '../../services/etag.ts';

const RegionQuery = Type.Object(
  { level: Type.Enum([...REGION_LEVELS]), parent: Type.Optional(Ars) },
  { additionalProperties: false },
);

const GEOJSON = 'application/geo+json; charset=utf-8';

export default async function regionRoutes(app: FastifyInstance) {
  app.get('/', {
    config: { roles: READERS },
    schema: { tags: ['layers'], summary: 'Regions of one level as GeoJSON, with population, latest capacities and indicators', querystring: RegionQuery },
  }, async (request, reply) => {
    const q = request.query as Static<typeof RegionQuery>;
    const districts = readableDistricts(request.user!);
    const revision = await layerRevision(app.db, ['regions', 'offers', 'needs', 'capacity']);
    if (notModified(request, reply, layerEtag(revision, ['regions', q.level, q.parent ?? null, districts]))) return reply;
    let prefix: string | null = null;
    if (q.parent) {
      const parentLevel = await layer.levelOf(app.db, q.parent);
      if (!parentLevel) throw notFound(`region ${q.parent}`);
      prefix = layer.arsPrefix(parentLevel, q.parent);
    }
    const body = await streamFeatureCollection(layer.regionPage(app.db, q.level, prefix, districts), { pageSize: 500 });
    return reply.type(GEOJSON).send(body);
  });

  app.get('/:ars/capacity', {
    config: { roles: READERS },
    schema: { tags: ['capacity'], summary: 'The capacity report history of an allocation unit, newest first', params: Type.Object({ ars: Ars }) },
  }, async (request, reply) => {
    const { ars } = request.params as { ars: string };
    assertMayRead(request.user!, ars, `allocation unit ${ars}`);
    const history = await capacity.history(app.db, ars);
    if (!history) throw notFound(`allocation unit ${ars}`);
    return reply.header('etag', capacity.capacityEtag(ars, history.reports[0]?.id ?? 0)).send(history);
  });

  app.post('/:ars/capacity', {
    config: { roles: EDITORS },
    schema: { tags: ['capacity'], summary: 'Append a capacity report for an allocation unit (If-Match with the history\'s ETag refuses a report based on stale values)', params: Type.Object({ ars: Ars }), body: CapacityReportInput },
  }, async (request, reply) => {
    const { ars } = request.params as { ars: string };
    const { etag, ...report } = await appendCapacityReport(app.db, request.user!, request, ars, request.body as CapacityInputT);
    return reply.code(201).header('etag', etag).send(report);
  });
}
