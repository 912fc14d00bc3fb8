import type { Queryable } from '../db/index.ts';
import type { OfferInput, OfferRecord } from '@ilk/core';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '@ilk/core/fields/offer';
import { columnOf } from '@ilk/core/fields/types';
import { OFFER_FEATURE, OFFER_FROM } from './offer-layer.repository.ts';

/** An offer as it comes from an import or the demo seed; lon/lat in EPSG:4326. */
export interface OfferImportRow extends OfferRecord {
  provider_external_id: string | null;
  lon: number;
  lat: number;
}

// The column lists below are checked against core/src/fields/offer.ts by tests/unit/field-sql.test.ts.

// An import's rows as stored values, in the order of IMPORT_COLUMNS, read from the JSON rows.
const IMPORT_COLUMNS = `external_id, category_key, subcategory_key, provider_id, name, description,
         street, postcode, city, email, phone, website, contact_person, languages, places_total, places_free,
         barrier_free, target_groups, opening_hours, valid_from, valid_to, last_verified, geom`;
const IMPORT_ROWS = `SELECT i.external_id, i.category, i.subcategory,
         (SELECT p.id FROM providers p WHERE p.external_id = i.provider_external_id),
         i.name, i.description, i.street, i.postcode, i.city, i.email, i.phone, i.website, i.contact_person,
         coalesce(ARRAY(SELECT json_array_elements_text(i.languages)), '{}'),
         i.places_total, i.places_free, i.barrier_free,
         coalesce(ARRAY(SELECT json_array_elements_text(i.target_groups)), '{}'),
         i.opening_hours, i.valid_from, i.valid_to, i.last_verified,
         ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326)
    FROM json_to_recordset($1::json) AS i(external_id text, category text, subcategory text,
         provider_external_id text, name text, description text, street text, postcode text, city text,
         email text, phone text, website text, contact_person text, languages json, places_total int, places_free int,
         barrier_free boolean, target_groups json, opening_hours text, valid_from date, valid_to date,
         last_verified date, lon double precision, lat double precision)`;

// The stored fields an import compares (every descriptor field but its key, external_id). The
// point is compared as it is read and exported (GeoJSON, 6 decimals): a file written by the
// export, imported again, is unchanged, as a GET followed by an unchanged PUT is.
const COMPARED = OFFER_FIELD_KEYS.filter((k) => k !== 'external_id').map((k) => columnOf(k, OFFER_FIELDS[k]));
const differs = (a: string, b: string) => `((${COMPARED.map((c) => `${a}.${c}`).join(', ')})
      IS DISTINCT FROM (${COMPARED.map((c) => `${b}.${c}`).join(', ')})
    OR ST_AsGeoJSON(${a}.geom, 6) IS DISTINCT FROM ST_AsGeoJSON(${b}.geom, 6))`;

// Bulk upsert keyed by external_id: re-importing a source updates its offers instead of
// duplicating them. Offers without an external id are always inserted. A row equal to its
// stored offer is not written (no new version); the import leaves such rows out anyway, the
// WHERE keeps it so when another import changed the offer in between.
export const UPSERT = `
  INSERT INTO offers AS o (${IMPORT_COLUMNS})
  ${IMPORT_ROWS}
  ON CONFLICT (external_id) DO UPDATE SET
    category_key = EXCLUDED.category_key, subcategory_key = EXCLUDED.subcategory_key,
    provider_id = EXCLUDED.provider_id, name = EXCLUDED.name, description = EXCLUDED.description,
    street = EXCLUDED.street, postcode = EXCLUDED.postcode, city = EXCLUDED.city, email = EXCLUDED.email,
    phone = EXCLUDED.phone, website = EXCLUDED.website, contact_person = EXCLUDED.contact_person, languages = EXCLUDED.languages,
    places_total = EXCLUDED.places_total, places_free = EXCLUDED.places_free,
    barrier_free = EXCLUDED.barrier_free, target_groups = EXCLUDED.target_groups,
    opening_hours = EXCLUDED.opening_hours, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
    last_verified = EXCLUDED.last_verified, geom = EXCLUDED.geom,
    version = o.version + 1, updated_at = now()
  WHERE ${differs('o', 'EXCLUDED')}
  RETURNING (xmax = 0) AS inserted`;

// The external ids of the rows that equal their stored offer, field by field as UPSERT writes them.
export const UNCHANGED = `
  SELECT n.external_id FROM (${IMPORT_ROWS}) AS n(${IMPORT_COLUMNS})
    JOIN offers o ON o.external_id = n.external_id
   WHERE NOT ${differs('o', 'n')}`;

export async function upsertOffers(db: Queryable, rows: readonly OfferImportRow[]): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: result } = await db.query<{ inserted: boolean }>(UPSERT, [JSON.stringify(rows)]);
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

/** The external ids of those rows that would leave their stored offer as it is. */
export async function unchangedOffers(db: Queryable, rows: readonly OfferImportRow[]): Promise<Set<string>> {
  const keyed = rows.filter((r) => r.external_id !== null);
  if (keyed.length === 0) return new Set();
  const { rows: found } = await db.query<{ external_id: string }>(UNCHANGED, [JSON.stringify(keyed)]);
  return new Set(found.map((r) => r.external_id));
}

export interface OfferFeatureRow {
  feature: { type: 'Feature'; id: number; geometry: unknown; properties: Record<string, unknown> & { version: number; region_key: string | null } };
}

const GET = `SELECT ${OFFER_FEATURE}::json AS feature FROM ${OFFER_FROM} WHERE o.id = $1`;

// The column list of a write, in the order of writeParams().
export const WRITE_COLUMNS = `category_key, subcategory_key, provider_id, external_id, name, description, street, postcode,
  city, email, phone, website, contact_person, languages, places_total, places_free, barrier_free, target_groups, opening_hours,
  valid_from, valid_to, last_verified, geom`;
export const WRITE_VALUES = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
  $22, ST_SetSRID(ST_MakePoint($23, $24), 4326)`;

export const INSERT = `INSERT INTO offers (${WRITE_COLUMNS}) VALUES (${WRITE_VALUES}) RETURNING id`;

// Optimistic locking: the row changes only if its version is still the one the client read.
export const UPDATE = `
  UPDATE offers SET (${WRITE_COLUMNS}) = (${WRITE_VALUES}), version = version + 1, updated_at = now()
   WHERE id = $25 AND version = $26 RETURNING id`;

const DELETE = `DELETE FROM offers WHERE id = $1 AND version = $2 RETURNING id`;

// The descriptors' order is WRITE_COLUMNS' order (checked by tests/unit/field-sql.test.ts).
function writeParams(input: OfferInput): unknown[] {
  const p = input.properties as Record<string, unknown>;
  const [lon, lat] = input.geometry.coordinates;
  return [...OFFER_FIELD_KEYS.map((k) => p[k] ?? (OFFER_FIELDS[k].cell === 'list' ? [] : null)), lon, lat];
}

/**
 * Would writing `input` leave the stored offer as `stored` (a feature as get() returns it) shows
 * it? Compared on the written values, so an omitted optional field equals a stored null.
 */
export function writesNothing(stored: OfferFeatureRow['feature'], input: OfferInput): boolean {
  const p = stored.properties as unknown as OfferInput['properties'];
  const asStored: OfferInput = { type: 'Feature', geometry: stored.geometry as OfferInput['geometry'], properties: p };
  return JSON.stringify(writeParams(asStored)) === JSON.stringify(writeParams(input));
}

export async function get(db: Queryable, id: number): Promise<OfferFeatureRow['feature'] | undefined> {
  return (await db.query<OfferFeatureRow>(GET, [id])).rows[0]?.feature;
}

export async function insert(db: Queryable, input: OfferInput): Promise<number> {
  return (await db.query<{ id: number }>(INSERT, writeParams(input))).rows[0]!.id;
}

/** Returns false when the version is stale (or the offer is gone): nothing was written. */
export async function update(db: Queryable, id: number, version: number, input: OfferInput): Promise<boolean> {
  return (await db.query(UPDATE, [...writeParams(input), id, version])).rowCount === 1;
}

export async function remove(db: Queryable, id: number, version: number): Promise<boolean> {
  return (await db.query(DELETE, [id, version])).rowCount === 1;
}

const EXTENT_CHECK = `
  SELECT ST_Intersects(ST_SetSRID(ST_Expand(ST_Extent(geom), $3)::geometry, 4326), ST_SetSRID(ST_MakePoint($1, $2), 4326)) AS inside
    FROM regions WHERE level = 'kreis'`;

/** Is the point inside the loaded districts' extent plus a margin (degrees)? */
export async function insideExtent(db: Queryable, lon: number, lat: number, marginDeg = 0.1): Promise<boolean> {
  return (await db.query<{ inside: boolean | null }>(EXTENT_CHECK, [lon, lat, marginDeg])).rows[0]?.inside === true;
}
