import type { FastifyRequest } from 'fastify';
import { ProblemType, type FieldError } from '@ilk/core';
import type { NeedEvent, NeedEventInput, NeedHistory, PartnerNeed, PartnerNeedInput } from '@ilk/core/schemas/need-events';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, badRequest, notFound } from '../errors.ts';
import * as events from '../repositories/need-events.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayEdit, kreisOf } from './scope.ts';
import { assertMayRead } from './read-scope.ts';
import { requiredVersion, stale } from './versioned.ts';

const record = (user: AuthUser, request: FastifyRequest, action: audit.AuditAction, entity: string, id: number, before?: unknown, after?: unknown): audit.AuditEntry => ({
  user_id: user.user_id, actor: user.email, action, entity, entity_id: String(id), before, after, request_id: request.id,
});

/** A partner's report: status "neu", reported by their organisation and account. */
export async function createPartnerNeed(db: Database, user: AuthUser, request: FastifyRequest, input: PartnerNeedInput): Promise<PartnerNeed> {
  return db.transaction(async (tx) => {
    const id = await events.insertPartnerNeed(tx, {
      region_level: input.region_level, region_ars: input.region_ars, category: input.category ?? null, kind: input.kind,
      title: input.title, description: input.description ?? null, priority: input.priority ?? 'mittel',
      reported_by: user.organisation ?? user.email, reported_by_user_id: user.user_id,
    });
    if (!id) throw badRequest(`region_ars: no ${input.region_level} with key ${input.region_ars}`, [{ field: '/region_ars', message: `no ${input.region_level} with this key` }]);
    const after = (await events.partnerNeed(tx, id))!;
    await audit.record(tx, record(user, request, 'create', 'need', id, undefined, after));
    return after;
  });
}

/** Staff read the history of needs in the districts they see; a partner only of their own reports. */
export async function needHistory(db: Database, user: AuthUser, id: number): Promise<NeedHistory> {
  const s = await events.state(db, id);
  if (!s) throw notFound(`need ${id}`);
  if (user.role === 'partner') {
    if (s.reported_by_user_id !== user.user_id) throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', 'partners see only the needs they reported');
  } else {
    assertMayRead(user, s.region_key, 'the need');
  }
  return (await events.history(db, id, user.role === 'partner'))!;
}

/** The fields each kind needs and forbids; a schema union would report the errors less clearly. */
function checkShape(input: NeedEventInput): void {
  const errors: FieldError[] = [];
  if (input.kind === 'comment' && input.text === undefined) errors.push({ field: '/text', message: 'is required for a comment' });
  if (input.kind === 'status_change' && input.status === undefined) errors.push({ field: '/status', message: 'is required for a status change' });
  if (input.kind !== 'status_change' && input.status !== undefined) errors.push({ field: '/status', message: 'belongs to a status change only' });
  if (input.kind === 'assign' && input.assigned_to === undefined) errors.push({ field: '/assigned_to', message: 'is required for an assignment (null unassigns)' });
  if (input.kind !== 'assign' && input.assigned_to !== undefined) errors.push({ field: '/assigned_to', message: 'belongs to an assignment only' });
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
}

/** The value an assignment or status change moves to, checked against the need as it is. */
async function target(tx: Queryable, input: NeedEventInput, before: events.NeedState): Promise<string | null> {
  if (input.kind === 'status_change') {
    if (input.status === before.status) throw badRequest(`the need has status ${before.status} already`, [{ field: '/status', message: 'is the current status' }]);
    return input.status!;
  }
  const to = input.assigned_to ?? null;
  if (to === before.assigned_to) throw badRequest('the need is assigned so already', [{ field: '/assigned_to', message: 'is the current assignee' }]);
  if (to !== null) {
    const a = await events.assignable(tx, to);
    if (!a || (a.role === 'coordinator' && !a.districts.includes(kreisOf(before.region_key)))) {
      throw badRequest('assigned_to must be an active admin or a coordinator of the need\'s district', [{ field: '/assigned_to', message: 'may not edit this need' }]);
    }
  }
  return to === null ? null : String(to);
}

/**
 * Comment, assign or change the status of a need, keeping the history. Assignments and status
 * changes alter the need: If-Match with its version, 412 when someone else was faster.
 */
export async function addEvent(db: Database, user: AuthUser, request: FastifyRequest, id: number, input: NeedEventInput): Promise<{ event: NeedEvent; version: number }> {
  checkShape(input);
  const version = input.kind === 'comment' ? null : requiredVersion(request, 'need', id);
  return db.transaction(async (tx) => {
    const before = await events.state(tx, id);
    if (!before) throw notFound(`need ${id}`);
    assertMayEdit(user, before.region_key, 'the need');
    if (version === null) {
      const event = await events.insertEvent(tx, { need_id: id, user_id: user.user_id, kind: 'comment', from_value: null, to_value: null, text: input.text! });
      await audit.record(tx, record(user, request, 'create', 'need_event', event.id, undefined, event));
      return { event, version: before.version };
    }
    if (version !== before.version) throw stale('need', id);
    const to = await target(tx, input, before);
    const from = input.kind === 'status_change' ? before.status : before.assigned_to === null ? null : String(before.assigned_to);
    const next = input.kind === 'status_change' ? await events.setStatus(tx, id, version, to!) : await events.setAssignee(tx, id, version, to === null ? null : Number(to));
    if (next === undefined) throw stale('need', id);
    const event = await events.insertEvent(tx, { need_id: id, user_id: user.user_id, kind: input.kind, from_value: from, to_value: to, text: input.text ?? null });
    const after = { ...before, version: next, ...(input.kind === 'status_change' ? { status: to } : { assigned_to: to === null ? null : Number(to) }) };
    await audit.record(tx, record(user, request, 'update', 'need', id, before, { ...after, event_id: event.id }));
    return { event, version: next };
  });
}
