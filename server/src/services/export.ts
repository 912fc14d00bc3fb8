import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '@ilk/core/fields/offer';
import { NEED_FIELDS, NEED_FIELD_KEYS } from '@ilk/core/fields/need';
import { propertyOf } from '@ilk/core/fields/types';
import type { CsvValue } from '@ilk/core/csv';
import { REGION_COLUMNS_FLAT } from '@ilk/core/registries/region-columns';
import type { Queryable } from '../db/index.ts';
import { notFound } from '../errors.ts';
import { arsPrefix, levelOf } from '../repositories/region-layer.repository.ts';
import type { CsvColumn, ExportFeature } from './csv-stream.ts';

const prop = (name: string): CsvColumn => ({ name, value: (f) => f.properties[name] as CsvValue });
const point = (f: ExportFeature) => f.geometry?.coordinates as [number, number] | undefined;
const LON_LAT: CsvColumn[] = [
  { name: 'lon', value: (f) => point(f)?.[0] },
  { name: 'lat', value: (f) => point(f)?.[1] },
];

// Column names are the layer's property names (snake_case), so an exported offers file is
// an import file too: the import skips id, provider_name, region_*, version and updated_at.
// The stored fields are the descriptors' exported ones (core/src/fields/offer.ts); the id, the
// provider's external id and name (after provider_id) and the derived columns frame them.
const OFFER_STORED = OFFER_FIELD_KEYS.filter((k) => OFFER_FIELDS[k].exported && k !== 'external_id');
export const OFFER_COLUMNS: CsvColumn[] = [
  ...['id', 'external_id', ...OFFER_STORED.flatMap((k) => (k === 'provider_id' ? [k, 'provider_external_id', 'provider_name'] : [k])),
    'region_key', 'region_name', 'version', 'updated_at'].map(prop),
  ...LON_LAT,
];

// The need's exported fields by their read names (core/src/fields/need.ts), the region's name
// after its level, framed by the id, the import's external id and the bookkeeping.
const NEED_STORED = NEED_FIELD_KEYS.filter((k) => NEED_FIELDS[k].exported).map((k) => propertyOf(k, NEED_FIELDS[k]));
export const NEED_COLUMNS: CsvColumn[] = [
  ...['id', 'external_id', ...NEED_STORED.flatMap((k) => (k === 'region_level' ? [k, 'region_name'] : [k])),
    'created_at', 'updated_at', 'version'].map(prop),
  ...LON_LAT,
];

// A region row in CSV: the flat row of the region exports (core/src/registries/region-columns.ts),
// its label point as lon/lat where the other layers have their point.
const LABEL_POINT: Record<string, string> = { label_lon: 'lon', label_lat: 'lat' };
export const REGION_COLUMNS: CsvColumn[] = REGION_COLUMNS_FLAT.map((c) => ({ name: LABEL_POINT[c.name] ?? c.name, value: (f) => f.properties[c.name] as CsvValue }));

/** The ARS prefix of a region given by key, for "below this region" filters; 404 if unknown. */
export async function regionPrefix(db: Queryable, ars: string | undefined): Promise<string | null> {
  if (!ars) return null;
  const level = await levelOf(db, ars);
  if (!level) throw notFound(`region ${ars}`);
  return arsPrefix(level, ars);
}

// The date of the district's office, not of the server's time zone.
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

const CONTENT_TYPES = { geojson: 'application/geo+json; charset=utf-8', csv: 'text/csv; charset=utf-8; header=present' };

/** Sends an export as a download named `<name>-YYYY-MM-DD.<format>`. */
export function sendExport(reply: FastifyReply, name: string, format: 'geojson' | 'csv', body: Readable) {
  return reply
    .type(CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${name}-${today()}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
