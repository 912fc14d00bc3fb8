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
import { MERGE_PATCH, MergePatchBody, mergePatchOnly, patchedBody, readOnlyProperties } from '../../services/merge-patch.ts';
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

  // PATCH takes application/merge-patch+json only (its own parser, in a plugin of its own). The
  // patch applies to GET's document: fields under /properties, the region as region_key (PUT's region_ars).
  await app.register(async (patchApp) => {
    mergePatchOnly(patchApp);
    const writable = Object.keys(NeedInput.properties).map((k) => (k === 'region_ars' ? 'region_key' : k));
    patchApp.patch('/:id', { config: { roles: EDITORS }, schema: { tags: ['needs'], summary: 'Change some fields of a need: JSON Merge Patch of the document GET returns (If-Match required)', params: IdParams, body: MergePatchBody, consumes: [MERGE_PATCH] } }, async (request, reply) => {
      const { id } = request.params as { id: number };
      const current = await needs.get(app.db, id);
      if (!current) throw notFound(`need ${id}`);
      assertMayRead(request.user!, current.properties.region_key, `need ${id}`);
      const input = patchedBody<NeedInputT>(request, id, current, current.properties.version, {
        kind: 'need',
        schema: NeedInput,
        readOnly: ['/type', '/id', '/geometry', ...readOnlyProperties(current.properties, writable)],
        toBody: (doc) => {
          const { region_key, ...rest } = (doc.properties ?? {}) as Record<string, unknown>;
          return region_key === undefined ? rest : { region_ars: region_key, ...rest };
        },
        docPointer: (p) => `/properties${p.replace(/^\/region_ars(?=\/|$)/, '/region_key').replace(/^\/$/, '')}`,
      });
      const feature = await updateNeed(app.db, request.user!, request, id, input);
      return reply.type(GEOJSON).header('etag', recordEtag('need', id, feature.properties.version)).send(feature);
    });
  });

  app.delete('/:id', { config: { roles: EDITORS }, schema: { tags: ['needs'], summary: 'Delete a need (If-Match required)', params: IdParams } }, async (request, reply) => {
    await deleteNeed(app.db, request.user!, request, (request.params as { id: number }).id);
    return reply.code(204).send();
  });
}
