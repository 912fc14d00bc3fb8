import type { FastifyRequest } from 'fastify';
import type { NeedInput } from '@ilk/core';
import type { Database } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, notFound } from '../errors.ts';
import * as needs from '../repositories/needs.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import * as needEvents from '../repositories/need-events.repository.ts';
import { assertMayEdit } from './scope.ts';
import { requiredVersion, stale } from './versioned.ts';

function toWrite(input: NeedInput): needs.NeedWrite {
  return {
    region_level: input.region_level, region_ars: input.region_ars, category: input.category ?? null, kind: input.kind,
    title: input.title, description: input.description ?? null, priority: input.priority ?? 'mittel',
    status: input.status ?? 'neu', reported_by: input.reported_by ?? null,
  };
}

/** Would writing `input` leave the stored need (its feature properties) as it is? */
function writesNothing(stored: Record<string, unknown>, input: NeedInput): boolean {
  const asStored = { ...(stored as unknown as NeedInput), region_ars: stored.region_key as string };
  return JSON.stringify(toWrite(asStored)) === JSON.stringify(toWrite(input));
}

const unknownRegion = (input: NeedInput) =>
  badRequest(`region_ars: no ${input.region_level} with key ${input.region_ars}`, [{ field: '/region_ars', message: `no ${input.region_level} with this key` }]);

const entry = (user: AuthUser, request: FastifyRequest, action: audit.AuditAction, id: number, before?: unknown, after?: unknown): audit.AuditEntry => ({
  user_id: user.user_id, actor: user.email, action, entity: 'need', entity_id: String(id), before, after, request_id: request.id,
});

export async function createNeed(db: Database, user: AuthUser, request: FastifyRequest, input: NeedInput) {
  assertMayEdit(user, input.region_ars, 'the region');
  return db.transaction(async (tx) => {
    const id = await needs.insert(tx, toWrite(input));
    if (!id) throw unknownRegion(input);
    const after = (await needs.get(tx, id))!;
    await audit.record(tx, entry(user, request, 'create', id, undefined, after));
    return after;
  });
}

export async function updateNeed(db: Database, user: AuthUser, request: FastifyRequest, id: number, input: NeedInput) {
  const version = requiredVersion(request, 'need', id);
  assertMayEdit(user, input.region_ars, 'the region');
  return db.transaction(async (tx) => {
    const before = await needs.get(tx, id);
    if (!before) throw notFound(`need ${id}`);
    assertMayEdit(user, before.properties.region_key, 'the need');
    if (!(await needs.regionExists(tx, input.region_level, input.region_ars))) throw unknownRegion(input);
    // An unchanged document writes nothing: no new version, no audit entry, no event.
    if (before.properties.version === version && writesNothing(before.properties, input)) return before;
    if (!(await needs.update(tx, id, version, toWrite(input)))) throw stale('need', id);
    const after = (await needs.get(tx, id))!;
    // A status set in the form or the inbox is an event in the need's history, as one set through
    // POST /api/needs/:id/events: the reporting partner sees it either way.
    if (after.properties.status !== before.properties.status) {
      await needEvents.insertEvent(tx, { need_id: id, user_id: user.user_id, kind: 'status_change', from_value: before.properties.status as string, to_value: after.properties.status as string, text: null });
    }
    await audit.record(tx, entry(user, request, 'update', id, before, after));
    return after;
  });
}

export async function deleteNeed(db: Database, user: AuthUser, request: FastifyRequest, id: number) {
  const version = requiredVersion(request, 'need', id);
  await db.transaction(async (tx) => {
    const before = await needs.get(tx, id);
    if (!before) throw notFound(`need ${id}`);
    assertMayEdit(user, before.properties.region_key, 'the need');
    if (!(await needs.remove(tx, id, version))) throw stale('need', id);
    await audit.record(tx, entry(user, request, 'delete', id, before));
  });
}
