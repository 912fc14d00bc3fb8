import type { FastifyRequest } from 'fastify';
import { ProblemType } from '@ilk/core';
import type { ProviderInput } from '@ilk/core/schemas/networks';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, notFound } from '../errors.ts';
import * as providers from '../repositories/providers.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { readableDistricts } from './read-scope.ts';
import { requiredVersion, stale } from './versioned.ts';

/**
 * A provider belongs to no district itself; it is seen (and edited by coordinators) where it has
 * an offer or a network membership, as its history is (history.service.ts). Admins edit every one.
 */
export async function readProvider(db: Queryable, user: AuthUser, id: number): Promise<providers.ProviderRecord> {
  const provider = await providers.get(db, id);
  if (!provider) throw notFound(`provider ${id}`);
  if (!(await audit.providerVisible(db, String(id), readableDistricts(user)))) {
    throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', 'the provider lies outside the districts you may see');
  }
  return provider;
}

export async function updateProvider(db: Database, user: AuthUser, request: FastifyRequest, id: number, input: ProviderInput): Promise<providers.ProviderRecord> {
  const version = requiredVersion(request, 'provider', id);
  return db.transaction(async (tx) => {
    const before = await readProvider(tx, user, id);
    if (user.role !== 'admin' && user.role !== 'coordinator') throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', 'your role may not edit providers');
    // An unchanged document writes nothing: no new version, no audit entry.
    if (before.version === version && providers.writesNothing(before, input)) return before;
    if (!(await providers.update(tx, id, version, input))) throw stale('provider', id);
    const after = (await providers.get(tx, id))!;
    await audit.record(tx, { user_id: user.user_id, actor: user.email, action: 'update', entity: 'provider', entity_id: String(id), before, after, request_id: request.id });
    return after;
  });
}
