import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Id, NeedInput, NeedQuery, type NeedInput as NeedInputT, type NeedQuery as NeedQueryT } from '@ilk/core';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import { notFound } from '../../errors.ts';
import * as needs from '../../repositories/needs.repository.ts';
import { arsPrefix, levelOf } from '../../repositories/region-layer.repository.ts';
import { streamFeatureCollection } from '../../services/layer-stream.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { layerEtag, notModified, recordEtag } from '../../services/etag.ts';
import { createNeed, deleteNeed, updateNeed } from '../../services/needs.service.ts';
import { assertMayRead, readableDistricts } from '../../services/read-scope.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';
const IdParams = Type.Object({ id: Id });

export default async function needRoutes(app: FastifyInstance) {
  app.get('/', { config: { roles: READERS }, schema: { tags: ['layers'], summary: 'Needs (Bedarfe) as GeoJSON at their region\'s label point', querystring: NeedQuery } }, async (request, reply) => {
    const q = request.query as NeedQueryT;
    const districts = readableDistricts(request.user!);
    const revision = await layerRevision(app.db, ['needs', 'regions']);
    if (notModified(request, reply, layerEtag(revision, ['needs', q, districts]))) return reply;
    let regionPrefix: string | null = null;
    if (q.region) {
      const level = await levelOf(app.db, q.region);
      if (!level) throw notFound(`region ${q.region}`);
      regionPrefix = arsPrefix(level, q.region);
    }
    const page = needs.needPage(app.db, { status: q.status ?? null, category: q.category ?? null, regionPrefix, districts });
    return reply.type(GEOJSON).send(await streamFeatureCollection(page, { pageSize: app.config.layerPageSize }));
  });

  app.get('/:id', { config: { roles: READERS }, schema: { tags: ['needs'], summary: 'One need', params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const feature = await needs.get(app.db, id);
    if (!feature) throw notFound(`need ${id}`);
    assertMayRead(request.user!, feature.properties.region_key, `need ${id}`);
    return reply.type(GEOJSON).header('etag', recordEtag('need', id, feature.properties.version)).send(feature);
  });

  app.post('/', { config: { roles: EDITORS }, schema: { tags: ['needs'], summary: 'Record a need', body: NeedInput } }, async (request, reply) => {
    const feature = await createNeed(app.db, request.user!, request, request.body as NeedInputT);
    return reply.code(201).type(GEOJSON).header('etag', recordEtag('need', feature.id, feature.properties.version))
      .header('location', `/api/needs/${feature.id}`).send(feature);
  });

  app.put('/:id', { config: { roles: EDITORS }, schema: { tags: ['needs'], summary: 'Replace a need, e.g. its status (If-Match required)', params: IdParams, body: NeedInput } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const feature = await updateNeed(app.db, request.user!, request, id, request.body as NeedInputT);
    return reply.type(GEOJSON).header('etag', recordEtag('need', id, feature.properties.version)).send(feature);
  });

  app.delete('/:id', { config: { roles: EDITORS }, schema: { tags: ['needs'], summary: 'Delete a need (If-Match required)', params: IdParams } }, async (request, reply) => {
    await deleteNeed(app.db, request.user!, request, (request.params as { id: number }).id);
    return reply.code(204).send();
  });
}
