import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PartnerNeed, PartnerNeedInput, type PartnerNeedInput as PartnerNeedInputT } from '@ilk/core/schemas/need-events';
import * as events from '../../repositories/need-events.repository.ts';
import { createPartnerNeed } from '../../services/need-events.service.ts';
import { PartnerPlaces } from '@ilk/core/schemas/places';
import { placeNames, placeShapes } from '../../repositories/regions.repository.ts';

const PARTNER = ['partner'] as const;

// The partner organisations' door: report a need, follow one's own reports. Nothing else of
// the data is open to a partner (see the role matrix test).
export default async function partnerRoutes(app: FastifyInstance) {
  app.post('/needs', {
    config: { roles: PARTNER },
    schema: { tags: ['partner'], summary: 'Report a need (gap in offers, information or training) as a partner organisation', body: PartnerNeedInput, response: { 201: PartnerNeed } },
  }, async (request, reply) => {
    const need = await createPartnerNeed(app.db, request.user!, request, request.body as PartnerNeedInputT);
    return reply.code(201).header('location', `/api/partner/needs`).send(need);
  });

  app.get('/needs', {
    config: { roles: PARTNER },
    schema: { tags: ['partner'], summary: 'The needs this partner account reported, newest first, with status and history', response: { 200: Type.Object({ needs: Type.Array(PartnerNeed) }) } },
  }, async (request) => ({ needs: await events.partnerNeeds(app.db, request.user!.user_id) }));

  app.get('/regions', {
    config: { roles: PARTNER },
    schema: {
      tags: ['partner'], response: { 200: PartnerPlaces },
      summary: 'Names, kinds and keys of the Ämter, amtsfreie Gemeinden and Gemeinden a need can be reported for, with their Amt and Kreis',
    },
  }, async () => ({ regions: await placeNames(app.db) }));

  // Partners may not read the region layer (it carries capacities and needs): the picker's map
  // gets outlines, keys and names only.
  app.get('/regions/shapes', {
    config: { roles: PARTNER },
    schema: { tags: ['partner'], summary: 'Simplified outlines of the Gemeinden with key and name only, to pick the place of a need on a map (GeoJSON)' },
  }, async (_request, reply) => reply.type('application/geo+json; charset=utf-8').send(await placeShapes(app.db)));
}
