import type { FastifyRequest } from 'fastify';
import type { OfferInput, FieldError } from '@ilk/core';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, notFound } from '../errors.ts';
import * as offers from '../repositories/offers.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayEdit } from './scope.ts';
import { requiredVersion, stale } from './versioned.ts';
import { offerRuleErrors } from '@ilk/core/offer-import';

type Feature = NonNullable<Awaited<ReturnType<typeof offers.get>>>;

/** Rules a JSON schema cannot state: relations between fields, and the district's extent. */
async function checkRules(db: Queryable, input: OfferInput): Promise<void> {
  const p = input.properties;
  // The cross-field rules are core's, the same the import applies to every row.
  const parent = p.subcategory
    ? (await db.query<{ category_key: string }>('SELECT category_key FROM offer_subcategories WHERE key = $1', [p.subcategory])).rows[0]?.category_key
    : undefined;
  const errors: FieldError[] = offerRuleErrors(p, () => parent);
  const [lon, lat] = input.geometry.coordinates;
  if (!(await offers.insideExtent(db, lon, lat))) {
    errors.push({ field: '/geometry/coordinates', message: 'must lie inside the loaded districts (plus a margin of 0.1°)' });
  }
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
}

function entry(user: AuthUser, request: FastifyRequest, action: audit.AuditAction, id: number, before?: Feature, after?: Feature): audit.AuditEntry {
  return { user_id: user.user_id, actor: user.email, action, entity: 'offer', entity_id: String(id), before, after, request_id: request.id };
}

export async function createOffer(db: Database, user: AuthUser, request: FastifyRequest, input: OfferInput): Promise<Feature> {
  await checkRules(db, input);
  return db.transaction(async (tx) => {
    const id = await offers.insert(tx, input);
    const after = (await offers.get(tx, id))!;
    assertMayEdit(user, after.properties.region_key, 'the offer');
    await audit.record(tx, entry(user, request, 'create', id, undefined, after));
    return after;
  });
}

export async function updateOffer(db: Database, user: AuthUser, request: FastifyRequest, id: number, input: OfferInput): Promise<Feature> {
  const version = requiredVersion(request, 'offer', id);
  await checkRules(db, input);
  return db.transaction(async (tx) => {
    const before = await offers.get(tx, id);
    if (!before) throw notFound(`offer ${id}`);
    assertMayEdit(user, before.properties.region_key, 'the offer');
    // An unchanged document writes nothing: no new version, no audit entry (open-and-save is harmless).
    if (before.properties.version === version && offers.writesNothing(before, input)) return before;
    if (!(await offers.update(tx, id, version, input))) throw stale('offer', id);
    const after = (await offers.get(tx, id))!;
    assertMayEdit(user, after.properties.region_key, 'the new position');
    await audit.record(tx, entry(user, request, 'update', id, before, after));
    return after;
  });
}

export async function deleteOffer(db: Database, user: AuthUser, request: FastifyRequest, id: number): Promise<void> {
  const version = requiredVersion(request, 'offer', id);
  await db.transaction(async (tx) => {
    const before = await offers.get(tx, id);
    if (!before) throw notFound(`offer ${id}`);
    assertMayEdit(user, before.properties.region_key, 'the offer');
    if (!(await offers.remove(tx, id, version))) throw stale('offer', id);
    await audit.record(tx, entry(user, request, 'delete', id, before));
  });
}
