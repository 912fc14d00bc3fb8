import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CapacityImportQuery, CapacityImportReport, ProblemType, type CapacityImportQuery as CapacityImportQueryT } from '@ilk/core';
import type { CsvTable } from '@ilk/core/csv';
import { EDITORS } from '../../plugins/auth.ts';
import { HttpProblem } from '../../errors.ts';
import { IMPORT_LIMITS, parseCsvBody } from '../../services/import-body.ts';
import { readXlsx } from '../../services/capacity-xlsx.ts';
import { importCapacity, type ImportSheet } from '../../services/capacity-import.service.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ACCEPTED = ['text/csv', XLSX_TYPE];

// Own parsers, so the app's JSON parser (inherited) must not count as accepted here: the 415 names
// exactly these two, also as the `accepted` member other 415s of the app carry.
const unsupported = (type: string) =>
  new HttpProblem(415, ProblemType.unsupportedMediaType, 'Unsupported media type',
    `${type || 'a body without a content type'} is not accepted; send text/csv (UTF-8) or ${XLSX_TYPE} (.xlsx)`, undefined, { accepted: ACCEPTED });

const contentType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

async function sheetOf(request: FastifyRequest): Promise<ImportSheet> {
  if (contentType(request) === 'text/csv') {
    const [header, ...rest] = [{ row: 1, cells: (request.body as CsvTable).header }, ...(request.body as CsvTable).records.map((r) => ({ row: r.line, cells: r.cells }))];
    return { format: 'csv', ignored_sheets: [], date1904: false, header: header.cells.length > 0 ? header : undefined, rows: rest };
  }
  if (contentType(request) !== XLSX_TYPE) throw unsupported(contentType(request));
  const table = await readXlsx(request.body as Buffer);
  const [header, ...rows] = table.rows;
  return { format: 'xlsx', sheet: table.sheet, ignored_sheets: table.ignored_sheets, date1904: table.date1904, header, rows };
}

// Registered under /api/capacity/import. Its body parsers exist only inside this plugin.
export default async function capacityImportRoutes(app: FastifyInstance) {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, parseCsvBody);
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer' }, async (_request: FastifyRequest, body: Buffer) => body);
  // Anything else is refused before the body is read, naming what is accepted.
  app.addContentTypeParser('*', async (request: FastifyRequest) => {
    throw unsupported(contentType(request));
  });

  app.post('/', {
    config: { roles: EDITORS },
    bodyLimit: IMPORT_LIMITS.maxBodyBytes,
    schema: {
      tags: ['capacity'],
      summary: 'Import capacity reports from CSV or XLSX (first sheet), matched by ARS or unit name: all rows or none; dry_run=true reports per row and writes nothing',
      querystring: CapacityImportQuery,
      response: { 200: CapacityImportReport },
    },
  }, async (request) => {
    const q = request.query as CapacityImportQueryT;
    const sheet = await sheetOf(request);
    return importCapacity(app.db, request.user!, request, sheet, { kreis: q.kreis, dryRun: q.dry_run ?? false, reportDate: q.report_date });
  });
}
