// Turning uploaded rows (CSV records or GeoJSON features) into offer candidates that the
// server validates exactly like a single offer. Pure: the server adds what needs the database
// (AGS placement, extent, scope, existing external ids).
import type { FieldError } from './problems.ts';
import type { OfferProperties } from './schemas/offers.ts';
import { unguardCell, type CsvRecord } from './csv.ts';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from './fields/offer.ts';

export interface OfferCandidate {
  /** 1-based data row (CSV, header not counted) or feature index (GeoJSON). */
  row: number;
  /** CSV only: the physical line the record starts on, as a spreadsheet numbers it. */
  line?: number;
  /** The offer as a GeoJSON Feature to validate against OfferInput; null when the row is unusable. */
  feature: Record<string, unknown> | null;
  /** CSV only: place the offer at this Gemeinde's label point (no coordinates given). */
  ags: string | null;
  provider_external_id: string | null;
  /** Errors found while converting; JSON pointers into `feature` like the single-offer API's. */
  errors: FieldError[];
}

type Kind = 'text' | 'integer' | 'boolean' | 'list' | 'date' | 'lon' | 'lat' | 'ags' | 'provider';

// Stored fields convert as their descriptor says; the rest are import-only columns that place
// the offer or link its provider.
const KINDS: Record<string, Kind> = {
  ...Object.fromEntries(OFFER_FIELD_KEYS.map((k) => [k, OFFER_FIELDS[k].cell])),
  provider_external_id: 'provider', lon: 'lon', lat: 'lat', ags: 'ags',
};

/** Columns an export writes that an import skips: they are derived, not stored. */
export const READ_ONLY_FIELDS = ['id', 'provider_name', 'region_key', 'region_name', 'version', 'updated_at', 'created_at'] as const;

/** German (and common English) headers, after normalizeHeader(), for each column. */
export const OFFER_COLUMN_ALIASES: Record<string, readonly string[]> = {
  ...Object.fromEntries(OFFER_FIELD_KEYS.map((k) => [k, OFFER_FIELDS[k].aliases])),
  provider_external_id: ['traeger_id', 'traeger_externe_id', 'traeger_kennung'],
  lat: ['latitude', 'breitengrad', 'breite'],
  lon: ['longitude', 'laengengrad', 'laenge', 'lng'],
  ags: ['gemeindeschluessel', 'amtlicher_gemeindeschluessel'],
};

const ALIAS_TO_COLUMN = new Map<string, string>([
  ...Object.keys(KINDS).map((k) => [k, k] as const),
  ...Object.entries(OFFER_COLUMN_ALIASES).flatMap(([column, aliases]) => aliases.map((a) => [a, column] as const)),
]);

/** "Plätze frei" -> "plaetze_frei": lower case, umlauts spelled out, other characters as `_`. */
export function normalizeHeader(h: string): string {
  return h.trim().toLowerCase().replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('ß', 'ss')
    .replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Each header cell's column (null: a read-only export column, skipped), or errors naming the header. */
export function mapOfferHeader(header: readonly string[]): { columns: (string | null)[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const columns = header.map((h) => {
    const key = normalizeHeader(h);
    if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) return null;
    const column = ALIAS_TO_COLUMN.get(key);
    if (!column) errors.push({ field: h, message: 'is not a known column' });
    return column ?? null;
  });
  columns.forEach((c, i) => {
    if (c && columns.indexOf(c) !== i) errors.push({ field: header[i]!, message: `names the column ${c} a second time` });
  });
  for (const required of ['name', 'category']) {
    if (!columns.includes(required)) errors.push({ field: required, message: 'column is missing' });
  }
  const hasLat = columns.includes('lat');
  if (hasLat !== columns.includes('lon')) errors.push({ field: hasLat ? 'lon' : 'lat', message: 'column is missing (lat and lon come together)' });
  if (!hasLat && !columns.includes('ags')) errors.push({ field: 'lat/lon', message: 'columns are missing (give lat and lon, or ags)' });
  return { columns, errors };
}

const TRUE = new Set(['true', 'ja', 'j', 'yes', 'y', '1', 'x', 'wahr']);
const FALSE = new Set(['false', 'nein', 'n', 'no', '0', 'falsch']);
const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** "54,123" and "54.123" are both 54.123; anything else stays text for the schema to reject. */
export function parseDecimal(cell: string): number | string {
  return NUMBER.test(cell) ? Number(cell.replace(',', '.')) : cell;
}

// A cell that cannot be converted is passed on as text: the JSON schema then reports it with
// the same message the single-offer API gives.
function convert(kind: Kind, cell: string): unknown {
  switch (kind) {
    case 'integer': return parseDecimal(cell);
    case 'boolean': return TRUE.has(cell.toLowerCase()) ? true : FALSE.has(cell.toLowerCase()) ? false : cell;
    case 'list': return cell.split(/[|,]/).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    case 'date': {
      const m = GERMAN_DATE.exec(cell);
      return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : cell;
    }
    // Spreadsheets drop the leading zero of Schleswig-Holstein's AGS (01...).
    case 'ags': return /^\d{7}$/.test(cell) ? `0${cell}` : cell;
    default: return cell;
  }
}

/** One CSV record as a candidate offer; `columns` from mapOfferHeader. */
export function csvCandidate(columns: readonly (string | null)[], record: CsvRecord, row: number): OfferCandidate {
  const base = { row, line: record.line, ags: null, provider_external_id: null };
  if (record.cells.length !== columns.length) {
    return { ...base, feature: null, errors: [{ field: '/', message: `has ${record.cells.length} cells; the header has ${columns.length}` }] };
  }
  const properties: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const cell = unguardCell(record.cells[i]!).trim();
    if (!column || cell === '') return;
    const kind = KINDS[column]!;
    const value = convert(kind, cell);
    if (kind === 'lon' || kind === 'lat' || kind === 'ags' || kind === 'provider') values[kind] = value;
    else properties[column] = value;
  });
  const errors: FieldError[] = [];
  const lon = values.lon === undefined ? undefined : parseDecimal(values.lon as string);
  const lat = values.lat === undefined ? undefined : parseDecimal(values.lat as string);
  if (typeof lon === 'string') errors.push({ field: '/geometry/coordinates/0', message: 'must be a number' });
  if (typeof lat === 'string') errors.push({ field: '/geometry/coordinates/1', message: 'must be a number' });
  const ags = lon === undefined && lat === undefined ? ((values.ags as string | undefined) ?? null) : null;
  if ((lon === undefined) !== (lat === undefined)) errors.push({ field: '/geometry/coordinates', message: 'give both lat and lon' });
  else if (lon === undefined && !ags) errors.push({ field: '/geometry', message: 'give lat and lon, or ags' });
  const geometry = lon !== undefined && lat !== undefined ? { type: 'Point', coordinates: [lon, lat] } : undefined;
  const feature = { type: 'Feature', ...(geometry ? { geometry } : {}), properties };
  return { ...base, feature, ags, provider_external_id: (values.provider as string | undefined) ?? null, errors };
}

/**
 * One GeoJSON feature as a candidate. The members an export adds (feature id, provider_name,
 * region_key, version, ...) are dropped so an exported file can be imported again;
 * provider_external_id is taken out, as it is not a stored property.
 */
export function featureCandidate(input: unknown, row: number): OfferCandidate {
  const errors: FieldError[] = [];
  let providerExternalId: string | null = null;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { row, feature: null, ags: null, provider_external_id: null, errors: [{ field: '/', message: 'must be a GeoJSON Feature object' }] };
  }
  const { id: _id, ...feature } = input as Record<string, unknown>;
  const props = feature.properties;
  if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
    const { provider_external_id: pe, ...rest } = props as Record<string, unknown>;
    for (const k of READ_ONLY_FIELDS) delete rest[k];
    if (typeof pe === 'string' && pe !== '') providerExternalId = pe;
    else if (pe !== undefined && pe !== null) errors.push({ field: '/properties/provider_external_id', message: 'must be a string' });
    feature.properties = rest;
  }
  return { row, feature, ags: null, provider_external_id: providerExternalId, errors };
}

/** The name a CSV user knows for a field the validators report as a JSON pointer. */
export function csvField(pointer: string, placedByAgs: boolean): string {
  const prop = /^\/properties\/([^/]+)/.exec(pointer);
  if (prop) return prop[1]!;
  if (pointer === '/geometry/coordinates/0') return 'lon';
  if (pointer === '/geometry/coordinates/1') return 'lat';
  if (pointer.startsWith('/geometry')) return placedByAgs ? 'ags' : 'lat/lon';
  return pointer;
}

/** Rules a JSON schema cannot state: relations between fields (the single-offer API's rules). */
export function offerRuleErrors(p: OfferProperties, categoryOfSubcategory: (key: string) => string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (p.places_free != null && p.places_total != null && p.places_free > p.places_total) {
    errors.push({ field: '/properties/places_free', message: 'must not exceed places_total' });
  }
  if (p.valid_from && p.valid_to && p.valid_from > p.valid_to) {
    errors.push({ field: '/properties/valid_to', message: 'must not be before valid_from' });
  }
  if (p.subcategory && categoryOfSubcategory(p.subcategory) !== p.category) {
    errors.push({ field: '/properties/subcategory', message: `is not a subcategory of ${p.category}` });
  }
  return errors;
}
