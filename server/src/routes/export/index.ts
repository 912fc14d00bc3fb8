import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { Ars, NeedQuery, OfferQuery, REGION_LEVELS, type NeedQuery as NeedQueryT, type OfferQuery as OfferQueryT } from '@ilk/core';
import { READERS } from '../../plugins/auth.ts';
import * as offerLayer from '../../repositories/offer-layer.repository.ts';
import * as needs from '../../repositories/needs.repository.ts';
import { flatRegionPage } from '../../repositories/region-table.repository.ts';
import { offerExportPage } from '../../repositories/export.repository.ts';
import { offerFilter } from '../../services/offer-filter.ts';
import { readableDistricts } from '../../services/read-scope.ts';
import { streamFeatureCollection } from '../../services/layer-stream.ts';
import { streamCsv } from '../../services/csv-stream.ts';
import { NEED_COLUMNS, OFFER_COLUMNS, REGION_COLUMNS, regionPrefix, sendExport } from '../../services/export.ts';

const RegionQuery = Type.Object({ level: Type.Enum([...REGION_LEVELS]), parent: Type.Optional(Ars) }, { additionalProperties: false });

// Downloads of the layers, under the same filters as the layers themselves: GeoJSON is the
// layer's own stream, CSV is built from the same pages (docs/import-export.md).
export default async function exportRoutes(app: FastifyInstance) {
  const route = (summary: string, querystring: object) => ({ config: { roles: READERS }, schema: { tags: ['export'], summary, querystring } });

  for (const format of ['geojson', 'csv'] as const) {
    app.get(`/offers.${format}`, route(`Offers as a ${format} download, filtered like the layer`, OfferQuery), async (request, reply) => {
      const filter = await offerFilter(app.db, request.query as OfferQueryT, readableDistricts(request.user!));
      const body = format === 'csv' ? await streamCsv(offerExportPage(app.db, filter), OFFER_COLUMNS) : await streamFeatureCollection(offerLayer.offerPage(app.db, filter));
      return sendExport(reply, 'offers', format, body);
    });

    app.get(`/needs.${format}`, route(`Needs as a ${format} download, filtered like the layer`, NeedQuery), async (request, reply) => {
      const q = request.query as NeedQueryT;
      const page = needs.needPage(app.db, { status: q.status ?? null, category: q.category ?? null, regionPrefix: await regionPrefix(app.db, q.region), districts: readableDistricts(request.user!) });
      return sendExport(reply, 'needs', format, format === 'csv' ? await streamCsv(page, NEED_COLUMNS) : await streamFeatureCollection(page));
    });

    app.get(`/regions.${format}`, route(`Regions of one level with their indicators as flat, typed columns, as a ${format} download (CSV: label point, no polygon)`, RegionQuery), async (request, reply) => {
      const q = request.query as Static<typeof RegionQuery>;
      const page = flatRegionPage(app.db, q.level, await regionPrefix(app.db, q.parent), readableDistricts(request.user!));
      const body = format === 'csv' ? await streamCsv(page, REGION_COLUMNS, 500) : await streamFeatureCollection(page, { pageSize: 500 });
      return sendExport(reply, `regions-${q.level}`, format, body);
    });
  }
}
