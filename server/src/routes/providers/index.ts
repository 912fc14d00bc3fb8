import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Id } from '@ilk/core';
import { Provider, ProviderInput, ProviderQuery, type ProviderInput as ProviderInputT, type ProviderQuery as ProviderQueryT } from '@ilk/core/schemas/networks';
import type { CsvValue } from '@ilk/core/csv';
import { EDITORS, READERS } from '../../plugins/auth.ts';
import * as directory from '../../repositories/provider-directory.repository.ts';
import { streamCsv, type CsvColumn } from '../../services/csv-stream.ts';
import { sendExport } from '../../services/export.ts';
import { providerFilter } from '../../services/networks.service.ts';
import { recordEtag } from '../../services/etag.ts';
import { readProvider, updateProvider } from '../../services/providers.service.ts';
import { MERGE_PATCH, MergePatchBody, mergePatchOnly, patchedBody } from '../../services/merge-patch.ts';

const IdParams = Type.Object({ id: Id });
// Members of a provider's document that no write changes (external_id is the import's key).
const PROVIDER_READ_ONLY = ['/id', '/external_id', '/version', '/created_at', '/updated_at'];

const prop = (name: string): CsvColumn => ({ name, value: (f) => f.properties[name] as CsvValue });
const PROVIDER_COLUMNS: CsvColumn[] = [
  ...['id', 'name', 'kind', 'street', 'postcode', 'city', 'email', 'phone', 'website', 'categories', 'offers'].map(prop),
  { name: 'networks', value: (f) => (f.properties.networks as { name: string }[]).map((n) => n.name) },
];

// Registered under /api: the directory is /api/providers and its download /api/providers.csv.
export default async function providerRoutes(app: FastifyInstance) {
  app.get('/providers', {
    config: { roles: READERS },
    schema: { tags: ['providers'], summary: 'The provider directory, filtered by network, by the category and region of their offers, and by text', querystring: ProviderQuery, response: { 200: Type.Object({ providers: Type.Array(Provider) }) } },
  }, async (request) => ({ providers: await directory.list(app.db, await providerFilter(app.db, request.user!, request.query as ProviderQueryT)) }));

  app.get('/providers.csv', {
    config: { roles: READERS },
    schema: { tags: ['providers'], summary: 'The provider directory as CSV (UTF-8 with BOM, semicolons), same filters', querystring: ProviderQuery },
  }, async (request, reply) => {
    const filter = await providerFilter(app.db, request.user!, request.query as ProviderQueryT);
    return sendExport(reply, 'providers', 'csv', await streamCsv(directory.page(app.db, filter), PROVIDER_COLUMNS, 1000));
  });

  app.get('/providers/:id', { config: { roles: READERS }, schema: { tags: ['providers'], summary: 'One provider (its own fields, version and ETag)', params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const provider = await readProvider(app.db, request.user!, id);
    return reply.header('etag', recordEtag('provider', id, provider.version)).send(provider);
  });

  app.put('/providers/:id', { config: { roles: EDITORS }, schema: { tags: ['providers'], summary: 'Replace a provider\'s fields (If-Match required)', params: IdParams, body: ProviderInput } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const provider = await updateProvider(app.db, request.user!, request, id, request.body as ProviderInputT);
    return reply.header('etag', recordEtag('provider', id, provider.version)).send(provider);
  });

  // PATCH takes application/merge-patch+json only (its own parser, in a plugin of its own).
  await app.register(async (patchApp) => {
    mergePatchOnly(patchApp);
    patchApp.patch('/providers/:id', { config: { roles: EDITORS }, schema: { tags: ['providers'], summary: 'Change some fields of a provider: JSON Merge Patch of the document GET returns (If-Match required)', params: IdParams, body: MergePatchBody, consumes: [MERGE_PATCH] } }, async (request, reply) => {
      const { id } = request.params as { id: number };
      const current = await readProvider(app.db, request.user!, id);
      const input = patchedBody<ProviderInputT>(request, id, current, current.version, { kind: 'provider', schema: ProviderInput, readOnly: PROVIDER_READ_ONLY });
      const provider = await updateProvider(app.db, request.user!, request, id, input);
      return reply.header('etag', recordEtag('provider', id, provider.version)).send(provider);
    });
  });
}
