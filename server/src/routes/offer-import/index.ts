import type { FastifyInstance } from 'fastify';
import { ImportReport, OfferImportQuery, type OfferImportQuery as OfferImportQueryT } from '@ilk/core/schemas/offer-import';
import { EDITORS } from '../../plugins/auth.ts';
import { strictJsonParser } from '../../plugins/json-body.ts';
import { IMPORT_LIMITS, importCandidates, importFormat, offerValidator, parseCsvBody } from '../../services/import-body.ts';
import { importOffers } from '../../services/offer-import.service.ts';

// Registered under /api/offers/import. The parsers below exist only inside this plugin, so
// text/csv and application/geo+json bodies are accepted here and nowhere else.
export default async function offerImportRoutes(app: FastifyInstance) {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, parseCsvBody);
  app.addContentTypeParser('application/geo+json', { parseAs: 'buffer' }, strictJsonParser(app));

  app.post('/', {
    config: { roles: EDITORS },
    bodyLimit: IMPORT_LIMITS.maxBodyBytes,
    schema: {
      tags: ['offers'],
      summary: 'Import offers from GeoJSON or CSV: all rows or none; dry_run=true reports per row and writes nothing',
      querystring: OfferImportQuery,
      response: { 200: ImportReport },
    },
  }, async (request) => {
    const q = request.query as OfferImportQueryT;
    const format = importFormat(request, q.format);
    const candidates = importCandidates(format, request.body);
    return importOffers(app.db, request.user!, request, format, candidates, offerValidator(request), q.dry_run ?? false);
  });
}
