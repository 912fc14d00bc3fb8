import type { FastifyInstance } from 'fastify';
import { CapacityBatch, CapacityBatchResult, CapacityUnits, CapacityUnitsQuery, type CapacityBatch as CapacityBatchT, type CapacityUnitsQuery as CapacityUnitsQueryT } from '@ilk/core';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import { listUnits, writeBatch } from '../../services/capacity-bulk.service.ts';
import capacityImportRoutes from './import.ts';

// Registered under /api/capacity: the capacity reports of all units of a Kreis at once.
export default async function capacityRoutes(app: FastifyInstance) {
  app.get('/units', {
    config: { roles: READERS },
    schema: {
      tags: ['capacity'],
      summary: 'The allocation units of a Kreis with their latest capacity report and version (0: no report yet)',
      querystring: CapacityUnitsQuery,
      response: { 200: CapacityUnits },
    },
  }, async (request, reply) => {
    const { kreis } = request.query as CapacityUnitsQueryT;
    return reply.header('cache-control', 'no-store').send(await listUnits(app.db, request.user!, kreis));
  });

  app.post('/batch', {
    config: { roles: EDITORS },
    schema: {
      tags: ['capacity'],
      summary: 'Append a report for each of many units: all or none; each row\'s version must be its unit\'s current one (else 412 with conflicts)',
      body: CapacityBatch,
      response: { 200: CapacityBatchResult },
    },
  }, async (request) => writeBatch(app.db, request.user!, request, (request.body as CapacityBatchT).reports));

  await app.register(capacityImportRoutes, { prefix: '/import' });
}
