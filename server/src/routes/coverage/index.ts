import type { FastifyInstance } from 'fastify';
import { CoverageQuery, CoverageTable, WhiteSpotQuery, type CoverageQuery as CoverageQueryT, type WhiteSpotQuery as WhiteSpotQueryT } from '@ilk/core/schemas/coverage';
import type { CsvValue } from '@ilk/core/csv';
import { READERS } from '../../plugins/auth.ts';
import * as coverage from '../../repositories/coverage.repository.ts';
import { streamFeatureCollection } from '../../services/layer-stream.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { streamCsv, type CsvColumn } from '../../services/csv-stream.ts';
import { layerEtag, notModified } from '../../services/etag.ts';
import { sendExport } from '../../services/export.ts';
import { assertMayReadLevel, coverageFilter, thresholdsOf } from '../../services/coverage.service.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';
const prop = (name: string): CsvColumn => ({ name, value: (f) => f.properties[name] as CsvValue });
const label = (i: number): CsvColumn['value'] => (f) => (f.properties.label_point as [number, number] | undefined)?.[i];
const WHITE_SPOT_COLUMNS: CsvColumn[] = [
  ...['key', 'name', 'parent_key', 'population', 'distance_m', 'nearest_offer_id'].map(prop),
  { name: 'lon', value: label(0) },
  { name: 'lat', value: label(1) },
];

// Coverage is computed per request from the offers and regions as they are now; the ETag
// (their revisions, the query and what the caller may see) spares the work when nothing changed.
export default async function coverageRoutes(app: FastifyInstance) {
  app.get('/', {
    config: { roles: READERS },
    schema: {
      tags: ['coverage'], querystring: CoverageQuery,
      summary: 'Distance of each Gemeinde to the nearest offer and population shares within reach: GeoJSON for gemeinde and verband, a table for kreis and land',
      response: { 200: CoverageTable },
    },
  }, async (request, reply) => {
    const q = request.query as CoverageQueryT;
    const level = q.level ?? 'gemeinde';
    assertMayReadLevel(request.user!, level);
    const thresholds = thresholdsOf(q);
    const filter = await coverageFilter(app.db, request.user!, q);
    const revision = await layerRevision(app.db, ['offers', 'regions']);
    if (notModified(request, reply, layerEtag(revision, ['coverage', q, filter.districts]))) return reply;
    if (level === 'gemeinde') return reply.type(GEOJSON).send(await streamFeatureCollection(coverage.gemeindePage(app.db, filter, thresholds), { pageSize: 500 }));
    if (level === 'verband') return reply.type(GEOJSON).send(await streamFeatureCollection(coverage.verbandPage(app.db, filter, thresholds), { pageSize: 200 }));
    const { rows, total } = await coverage.coverageTableWithTotal(app.db, level, filter, thresholds);
    return { level, category: filter.category, subcategory: filter.subcategory, free_only: filter.freeOnly, thresholds_km: thresholds, rows, total };
  });

  for (const format of ['geojson', 'csv'] as const) {
    app.get(format === 'geojson' ? '/white-spots' : '/white-spots.csv', {
      config: { roles: READERS },
      schema: { tags: ['coverage'], querystring: WhiteSpotQuery, summary: `Inhabited Gemeinden with no offer within threshold_km (${format === 'csv' ? 'a CSV list' : 'a GeoJSON layer'})` },
    }, async (request, reply) => {
      const q = request.query as WhiteSpotQueryT;
      const km = q.threshold_km ?? 10;
      const filter = await coverageFilter(app.db, request.user!, q);
      const page = coverage.gemeindePage(app.db, filter, [km], km);
      if (format === 'csv') return sendExport(reply, `white-spots-${q.category}-${km}km`, 'csv', await streamCsv(page, WHITE_SPOT_COLUMNS, 500));
      const revision = await layerRevision(app.db, ['offers', 'regions']);
      if (notModified(request, reply, layerEtag(revision, ['white-spots', q, filter.districts]))) return reply;
      return reply.type(GEOJSON).send(await streamFeatureCollection(page, { pageSize: 500 }));
    });
  }
}
