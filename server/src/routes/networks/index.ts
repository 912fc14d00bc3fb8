import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Id } from '@ilk/core';
import { Network, NetworkInput, NetworkQuery, type NetworkInput as NetworkInputT, type NetworkQuery as NetworkQueryT } from '@ilk/core/schemas/networks';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import * as networks from '../../repositories/networks.repository.ts';
import { recordEtag } from '../../services/etag.ts';
import { regionPrefix } from '../../services/export.ts';
import { readableDistricts } from '../../services/read-scope.ts';
import { createNetwork, deleteNetwork, readNetwork, updateNetwork } from '../../services/networks.service.ts';

const IdParams = Type.Object({ id: Id });

export default async function networkRoutes(app: FastifyInstance) {
  app.get('/', {
    config: { roles: READERS },
    schema: { tags: ['networks'], summary: 'Networks of providers, by name; coordinators see those of their districts', querystring: NetworkQuery, response: { 200: Type.Object({ networks: Type.Array(Network) }) } },
  }, async (request) => {
    const q = request.query as NetworkQueryT;
    const filter = { category: q.category ?? null, regionPrefix: await regionPrefix(app.db, q.region), districts: readableDistricts(request.user!) };
    return { networks: await networks.list(app.db, filter) };
  });

  app.get('/:id', { config: { roles: READERS }, schema: { tags: ['networks'], summary: 'One network with its members', params: IdParams, response: { 200: Network } } }, async (request, reply) => {
    const network = await readNetwork(app.db, request.user!, (request.params as { id: number }).id);
    return reply.header('etag', recordEtag('network', network.id, network.version)).send(network);
  });

  app.post('/', { config: { roles: EDITORS }, schema: { tags: ['networks'], summary: 'Create a network', body: NetworkInput, response: { 201: Network } } }, async (request, reply) => {
    const network = await createNetwork(app.db, request.user!, request, request.body as NetworkInputT);
    return reply.code(201).header('etag', recordEtag('network', network.id, network.version)).header('location', `/api/networks/${network.id}`).send(network);
  });

  app.put('/:id', { config: { roles: EDITORS }, schema: { tags: ['networks'], summary: 'Replace a network and its members (If-Match required)', params: IdParams, body: NetworkInput, response: { 200: Network } } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const network = await updateNetwork(app.db, request.user!, request, id, request.body as NetworkInputT);
    return reply.header('etag', recordEtag('network', id, network.version)).send(network);
  });

  app.delete('/:id', { config: { roles: EDITORS }, schema: { tags: ['networks'], summary: 'Delete a network (If-Match required)', params: IdParams } }, async (request, reply) => {
    await deleteNetwork(app.db, request.user!, request, (request.params as { id: number }).id);
    return reply.code(204).send();
  });
}
