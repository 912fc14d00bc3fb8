import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Id, OfferInput, OfferProperties, OfferQuery, type OfferQuery as OfferQueryT, type OfferInput as OfferInputT } from '@ilk/core';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import { notFound } from '../../errors.ts';
import * as offers from '../../repositories/offers.repository.ts';
import * as offerLayer from '../../repositories/offer-layer.repository.ts';
import { streamFeatureCollection } from '../../services/layer-stream.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { layerEtag, notModified, recordEtag } from '../../services/etag.ts';
import { offerFilter } from '../../services/offer-filter.ts';
import { assertMayRead, requestDistricts } from '../../services/read-scope.ts';
import { createOffer, deleteOffer, updateOffer } from '../../services/offers.service.ts';
import { MERGE_PATCH, MergePatchBody, mergePatchOnly, patchedBody, readOnlyProperties } from '../../services/merge-patch.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';
const IdParams = Type.Object({ id: Id });

export default async function offerRoutes(app: FastifyInstance) {
  // With PUBLIC_OFFER_MAP the offers layer (and only it) is open to anonymous visitors.
  const readConfig: FastifyContextConfig = app.config.publicOfferMap ? { public: true } : { roles: READERS };

  app.get('/', { config: readConfig, schema: { tags: ['layers'], summary: 'Offers as GeoJSON, filtered', querystring: OfferQuery } }, async (request, reply) => {
    const q = request.query as OfferQueryT;
    const districts = requestDistricts(request.user);
    const revision = await layerRevision(app.db, ['offers', 'providers', 'regions']);
    if (notModified(request, reply, layerEtag(revision, ['offers', q, districts]))) return reply;
    const filter = await offerFilter(app.db, q, districts);
    return reply.type(GEOJSON).send(await streamFeatureCollection(offerLayer.offerPage(app.db, filter), { pageSize: app.config.layerPageSize }));
  });

  app.get('/counts', { config: readConfig, schema: { tags: ['layers'], summary: 'Offers per category under the same filters', querystring: OfferQuery } }, async (request) =>
    offerLayer.countByCategory(app.db, await offerFilter(app.db, request.query as OfferQueryT, requestDistricts(request.user))),
  );

  app.get('/:id', { config: readConfig, schema: { tags: ['offers'], summary: 'One offer as a GeoJSON Feature', params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const feature = await offers.get(app.db, id);
    if (!feature) throw notFound(`offer ${id}`);
    if (request.user) assertMayRead(request.user, feature.properties.region_key, `offer ${id}`);
    return reply.type(GEOJSON).header('etag', recordEtag('offer', id, feature.properties.version)).send(feature);
  });

  app.post('/', { config: { roles: EDITORS }, schema: { tags: ['offers'], summary: 'Create an offer', body: OfferInput } }, async (request, reply) => {
    const feature = await createOffer(app.db, request.user!, request, request.body as OfferInputT);
    return reply.code(201).type(GEOJSON).header('etag', recordEtag('offer', feature.id, feature.properties.version))
      .header('location', `/api/offers/${feature.id}`).send(feature);
  });

  app.put('/:id', { config: { roles: EDITORS }, schema: { tags: ['offers'], summary: 'Replace an offer (If-Match required)', params: IdParams, body: OfferInput } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const feature = await updateOffer(app.db, request.user!, request, id, request.body as OfferInputT);
    return reply.type(GEOJSON).header('etag', recordEtag('offer', id, feature.properties.version)).send(feature);
  });

  // PATCH takes application/merge-patch+json only (its own parser, in a plugin of its own).
  await app.register(async (patchApp) => {
    mergePatchOnly(patchApp);
    patchApp.patch('/:id', { config: { roles: EDITORS }, schema: { tags: ['offers'], summary: 'Change some fields of an offer: JSON Merge Patch of the document GET returns (If-Match required)', params: IdParams, body: MergePatchBody, consumes: [MERGE_PATCH] } }, async (request, reply) => {
      const { id } = request.params as { id: number };
      const current = await offers.get(app.db, id);
      if (!current) throw notFound(`offer ${id}`);
      assertMayRead(request.user!, current.properties.region_key, `offer ${id}`);
      const readOnly = ['/id', ...readOnlyProperties(current.properties, Object.keys(OfferProperties.properties))];
      const input = patchedBody<OfferInputT>(request, id, current, current.properties.version, { kind: 'offer', schema: OfferInput, readOnly });
      const feature = await updateOffer(app.db, request.user!, request, id, input);
      return reply.type(GEOJSON).header('etag', recordEtag('offer', id, feature.properties.version)).send(feature);
    });
  });

  app.delete('/:id', { config: { roles: EDITORS }, schema: { tags: ['offers'], summary: 'Delete an offer (If-Match required)', params: IdParams } }, async (request, reply) => {
    await deleteOffer(app.db, request.user!, request, (request.params as { id: number }).id);
    return reply.code(204).send();
  });
}
