import type { FastifyRequest } from 'fastify';
import type { CapacityReportInput } from '@ilk/core';
import type { Database } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, notFound } from '../errors.ts';
import * as capacity from '../repositories/capacity.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayEdit } from './scope.ts';
import { stale } from './versioned.ts';

/** Appends a report; earlier reports stay as they were (history, not overwrite). */
export async function appendCapacityReport(db: Database, user: AuthUser, request: FastifyRequest, ars: string, input: CapacityReportInput) {
  if (input.housing_free_barrier_free > input.housing_free) {
    throw badRequest('housing_free_barrier_free must not exceed housing_free', [{ field: '/housing_free_barrier_free', message: 'must not exceed housing_free' }]);
  }
  assertMayEdit(user, ars, 'the allocation unit');
  const ifMatch = request.headers['if-match'];
  return db.transaction(async (tx) => {
    const latest = await capacity.lockLatest(tx, ars);
    if (latest === undefined) throw notFound(`allocation unit ${ars}`);
    // Optional optimistic check: a report based on an older state than the newest is refused.
    if (ifMatch !== undefined && ifMatch !== capacity.capacityEtag(ars, latest)) throw stale('the capacity of unit', ars);
    const report = (await capacity.append(tx, ars, { ...input, note: input.note ?? null }))!;
    await audit.record(tx, { user_id: user.user_id, actor: user.email, action: 'create', entity: 'capacity_report', entity_id: String(report.id), after: { ars, ...report }, request_id: request.id });
    return { ars, ...report, etag: capacity.capacityEtag(ars, report.id as number) };
  });
}
