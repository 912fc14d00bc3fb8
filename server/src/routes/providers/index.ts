import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Provider, ProviderQuery, type ProviderQuery as ProviderQueryT } from '@ilk/core/schemas/networks';
import type { CsvValue } from '@ilk/core/csv';
import { READERS } from '../../plugins/auth.ts';
import * as directory from '../../repositories/provider-directory.repository.ts';
import { streamCsv, type CsvColumn } from '../../services/csv-stream.ts';
import { sendExport } from '../../services/export.ts';
import { providerFilter } from '../../services/networks.service.ts';

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
}
