import type { FastifyRequest } from 'fastify';
import type { FieldError } from '@ilk/core';
import type { Network, NetworkInput, ProviderQuery } from '@ilk/core/schemas/networks';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, notFound } from '../errors.ts';
import * as networks from '../repositories/networks.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import type { ProviderFilter } from '../repositories/provider-directory.repository.ts';
import { regionExists } from '../repositories/needs.repository.ts';
import { assertMayEdit } from './scope.ts';
import { assertMayRead, readableDistricts } from './read-scope.ts';
import { regionPrefix } from './export.ts';
import { requiredVersion, stale } from './versioned.ts';

const entry = (user: AuthUser, request: FastifyRequest, action: audit.AuditAction, id: number, before?: Network, after?: Network): audit.AuditEntry => ({
  user_id: user.user_id, actor: user.email, action, entity: 'network', entity_id: String(id), before, after, request_id: request.id,
});

/** Rules a schema cannot state: the region exists, members are known providers, each once. */
async function toWrite(db: Queryable, input: NetworkInput): Promise<networks.NetworkWrite> {
  const members = input.members ?? [];
  const errors: FieldError[] = [];
  if (!(await regionExists(db, input.region_level, input.region_ars))) errors.push({ field: '/region_ars', message: `no ${input.region_level} with this key` });
  const ids = members.map((m) => m.provider_id);
  ids.forEach((id, i) => ids.indexOf(id) !== i && errors.push({ field: `/members/${i}/provider_id`, message: 'is listed twice' }));
  const unknown = new Set(await networks.unknownProviders(db, ids));
  ids.forEach((id, i) => unknown.has(id) && errors.push({ field: `/members/${i}/provider_id`, message: 'names no provider' }));
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  return {
    name: input.name, category: input.category ?? null, region_level: input.region_level, region_ars: input.region_ars,
    description: input.description ?? null, contact_name: input.contact_name ?? null, contact_email: input.contact_email ?? null,
    contact_phone: input.contact_phone ?? null, members: members.map((m) => ({ provider_id: m.provider_id, role: m.role ?? null })),
  };
}

export async function readNetwork(db: Queryable, user: AuthUser, id: number): Promise<Network> {
  const network = await networks.get(db, id);
  if (!network) throw notFound(`network ${id}`);
  assertMayRead(user, network.region_key, 'the network');
  return network;
}

export async function createNetwork(db: Database, user: AuthUser, request: FastifyRequest, input: NetworkInput): Promise<Network> {
  assertMayEdit(user, input.region_ars, 'the region');
  return db.transaction(async (tx) => {
    const id = (await networks.insert(tx, await toWrite(tx, input)))!;
    const after = (await networks.get(tx, id))!;
    await audit.record(tx, entry(user, request, 'create', id, undefined, after));
    return after;
  });
}

export async function updateNetwork(db: Database, user: AuthUser, request: FastifyRequest, id: number, input: NetworkInput): Promise<Network> {
  const version = requiredVersion(request, 'network', id);
  assertMayEdit(user, input.region_ars, 'the region');
  return db.transaction(async (tx) => {
    const before = await networks.get(tx, id);
    if (!before) throw notFound(`network ${id}`);
    assertMayEdit(user, before.region_key, 'the network');
    if (!(await networks.update(tx, id, version, await toWrite(tx, input)))) throw stale('network', id);
    const after = (await networks.get(tx, id))!;
    await audit.record(tx, entry(user, request, 'update', id, before, after));
    return after;
  });
}

export async function deleteNetwork(db: Database, user: AuthUser, request: FastifyRequest, id: number): Promise<void> {
  const version = requiredVersion(request, 'network', id);
  await db.transaction(async (tx) => {
    const before = await networks.get(tx, id);
    if (!before) throw notFound(`network ${id}`);
    assertMayEdit(user, before.region_key, 'the network');
    if (!(await networks.remove(tx, id, version))) throw stale('network', id);
    await audit.record(tx, entry(user, request, 'delete', id, before));
  });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The directory's filter; a coordinator's region must lie in their districts. */
export async function providerFilter(db: Queryable, user: AuthUser, q: ProviderQuery): Promise<ProviderFilter> {
  const prefix = await regionPrefix(db, q.region);
  if (q.region) assertMayRead(user, q.region, 'the region');
  return { network: q.network ?? null, category: q.category ?? null, regionPrefix: prefix, q: q.q ? escapeLike(q.q) : null, districts: readableDistricts(user) };
}
