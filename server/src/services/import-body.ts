import type { FastifyRequest } from 'fastify';
import { fieldErrors } from './field-errors.ts';
import { OfferInput, ProblemType, type FieldError } from '@ilk/core';
import { CsvLimitError, CsvSyntaxError, parseCsv, type CsvTable } from '@ilk/core/csv';
import { csvCandidate, featureCandidate, mapOfferHeader, type OfferCandidate } from '@ilk/core/offer-import';
import type { ImportFormat } from '@ilk/core/schemas/offer-import';
import { badRequest, HttpProblem } from '../errors.ts';
import type { ValidateOffer } from './offer-import.service.ts';

/** Limits of one import request (docs/import-export.md). */
export const IMPORT_LIMITS = {
  /** Data rows (CSV) or features (GeoJSON). */
  maxRows: 50_000,
  /** Request body; larger bodies are refused with 413 before they are parsed. */
  maxBodyBytes: 20 * 1024 * 1024,
} as const;

const tooManyRows = () =>
  new HttpProblem(413, ProblemType.payloadTooLarge, 'Payload too large', `an import holds at most ${IMPORT_LIMITS.maxRows} rows; split the file`);

// Byte offset is no help to someone holding a spreadsheet: name the line of the first bad byte.
function invalidUtf8(body: Buffer) {
  const lossy = body.toString('utf8');
  const line = lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length;
  return badRequest(`the CSV is not valid UTF-8 (line ${line}); save it as "CSV UTF-8", not as ANSI/Windows-1252`, [{ field: `line ${line}`, message: 'is not valid UTF-8' }]);
}

/** The text/csv body parser: strict UTF-8, RFC 4180, at most maxRows data rows. */
export function parseCsvBody(_request: FastifyRequest, body: Buffer): Promise<CsvTable> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return Promise.reject(invalidUtf8(body));
  }
  // Valid UTF-8, yet no text: UTF-16 without a BOM, or a binary file renamed to .csv.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    return Promise.reject(badRequest(`the CSV contains a NUL character (line ${line}): it is no text file, or UTF-16; save it as "CSV UTF-8"`, [{ field: `line ${line}`, message: 'contains a NUL character' }]));
  }
  try {
    return Promise.resolve(parseCsv(text, { maxRecords: IMPORT_LIMITS.maxRows }));
  } catch (err) {
    if (err instanceof CsvLimitError) return Promise.reject(tooManyRows());
    if (err instanceof CsvSyntaxError) return Promise.reject(badRequest(`the CSV is malformed: ${err.message}`, [{ field: `line ${err.line}`, message: err.reason }]));
    return Promise.reject(err);
  }
}

/** csv for text/csv, geojson for JSON; an explicit ?format= must agree with the content type. */
export function importFormat(request: FastifyRequest, requested: ImportFormat | undefined): ImportFormat {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format: ImportFormat = type === 'text/csv' ? 'csv' : 'geojson';
  if (requested && requested !== format) {
    throw badRequest(`format=${requested} does not match the content type ${type || '(none)'}`, [{ field: 'format', message: `does not match the content type ${type || '(none)'}` }]);
  }
  return format;
}

// RFC 7946 dropped `crs`: coordinates are WGS 84 longitude/latitude. Older files (GeoJSON 2008,
// GDAL) may still name one; any other CRS means coordinates the import would misplace.
const CRS84 = /^(urn:ogc:def:crs:OGC:(1\.3)?:CRS84|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84|EPSG:4326|urn:ogc:def:crs:EPSG:[0-9.]*:4326)$/i;

function assertCrs84(crs: unknown): void {
  const name = (crs as { properties?: { name?: unknown } } | null)?.properties?.name;
  if (typeof name === 'string' && CRS84.test(name)) return;
  const what = typeof name === 'string' ? `names the CRS "${name.slice(0, 100)}"` : 'is not a named CRS';
  const message = `${what}; only WGS 84 longitude/latitude (CRS84, RFC 7946) is accepted: reproject the file, e.g. ogr2ogr -t_srs EPSG:4326`;
  throw badRequest(`crs ${message}`, [{ field: '/crs', message }]);
}

/** The rows of the body as offer candidates, one per CSV record or GeoJSON feature. */
export function importCandidates(format: ImportFormat, body: unknown): OfferCandidate[] {
  if (format === 'csv') {
    const table = body as CsvTable;
    const { columns, errors } = mapOfferHeader(table.header);
    if (errors.length > 0) throw badRequest(`the CSV header is not usable: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
    return table.records.map((r, i) => csvCandidate(columns, r, i + 1));
  }
  const fc = body as { type?: unknown; features?: unknown; crs?: unknown } | null | undefined;
  if (typeof fc !== 'object' || fc === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw badRequest('the body must be a GeoJSON FeatureCollection', [{ field: '/', message: 'must be a FeatureCollection with a features array' }]);
  }
  if (fc.crs !== undefined) assertCrs84(fc.crs);
  if (fc.features.length > IMPORT_LIMITS.maxRows) throw tooManyRows();
  return fc.features.map((f: unknown, i) => featureCandidate(f, i + 1));
}

/**
 * OfferInput compiled by the app's own body validator (as POST /api/offers): strict, so a feature's
 * `"coordinates": ["9.8", "54.3"]` or `"places_total": true` is refused, not coerced. CSV rows reach
 * it already typed by csvCandidate, whose text parsing is documented in import-export.md.
 */
export function offerValidator(request: FastifyRequest): ValidateOffer {
  const check = request.compileValidationSchema(OfferInput, 'body');
  return (feature) => (check(feature) ? [] : fieldErrors(check.errors ?? []));
}
