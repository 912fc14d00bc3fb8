import type { FastifyInstance } from 'fastify';
import { History, HistoryParams, type HistoryParams as HistoryParamsT } from '@ilk/core/schemas/history';
import { EVERYONE } from '../../plugins/auth.ts';
import { recordHistory } from '../../services/history.service.ts';

// The "Verlauf" of one record. Partners pass the role check but see only the needs they reported
// (checked in the service, as every other scope).
export default async function historyRoutes(app: FastifyInstance) {
  app.get('/:entity/:id', {
    config: { roles: EVERYONE },
    schema: {
      tags: ['history'], params: HistoryParams, response: { 200: History },
      summary: 'The history of an offer, need, provider, plan or allocation unit (capacity, by ARS): who changed which fields when, oldest first',
    },
  }, async (request) => {
    const { entity, id } = request.params as HistoryParamsT;
    return recordHistory(app.db, request.user!, entity, id);
  });
}
