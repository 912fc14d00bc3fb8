import type { Queryable } from '../db/index.ts';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '@ilk/core/fields/offer';
import { afterFilter, filterParams, OFFER_FROM, OFFER_MEMBERS, OFFER_WHERE, type OfferFilter } from './offer-layer.repository.ts';
import { featureText, jsonObject, type Member } from './json-sql.ts';
import { NEED_FEATURE, NEED_WHERE } from './needs.repository.ts';
import { regionPatterns } from './region-patterns.ts';

export type Bbox = [number, number, number, number];

/** One page of a collection: the features as GeoJSON text made in SQL, and how many match in all. */
export interface ItemsPage {
  matched: number;
  /** Comma-joined Feature objects, ready to go between `[` and `]`. */
  features: string;
  returned: number;
}

export interface Paging {
  limit: number;
  offset: number;
}

// Count and page come from one statement, so numberMatched and the features are read from the
// same snapshot even while others write. Offset paging, not keyset: OGC clients jump by offset.
const page = (matched: string, feature: string, from: string, key: string, limit: string, offset: string) => `
  WITH matched AS (${matched}),
       page AS (SELECT k FROM matched ORDER BY k LIMIT ${limit} OFFSET ${offset})
  SELECT (SELECT count(*) FROM matched)::int AS matched,
         (SELECT count(*) FROM page)::int AS returned,
         (SELECT string_agg(${feature}::text, ',' ORDER BY ${key}) FROM ${from} WHERE ${key} IN (SELECT k FROM page)) AS features`;

// GIS formats hold no lists (GDAL warns and writes GeoPackage columns it cannot type), so the
// offers' list fields are one text each, joined with LIST_SEPARATOR as in the CSV export.
export const LIST_SEPARATOR = '|';
const LIST_KEYS: ReadonlySet<string> = new Set(OFFER_FIELD_KEYS.filter((k) => OFFER_FIELDS[k].cell === 'list'));
export const OGC_OFFER_MEMBERS = OFFER_MEMBERS.map(([k, sql]): Member => (LIST_KEYS.has(k) ? [k, `array_to_string(${sql}, '${LIST_SEPARATOR}')`] : [k, sql]));
const OGC_OFFER_FEATURE = featureText('o.id', 'ST_AsGeoJSON(o.geom, 6)', jsonObject(OGC_OFFER_MEMBERS));

const OFFER_ITEMS = page(`SELECT o.id AS k FROM ${OFFER_FROM} WHERE ${OFFER_WHERE}`, OGC_OFFER_FEATURE, OFFER_FROM, 'o.id', afterFilter(1), afterFilter(2));
const OFFER_ITEM = `SELECT ${OGC_OFFER_FEATURE}::json AS feature FROM ${OFFER_FROM} WHERE o.id = $1`;

// A need is drawn at its region's label point, so the bbox tests that point.
const NEED_FROM = `needs n JOIN regions r ON r.id = n.region_id`;
const NEED_ITEMS = page(
  `SELECT n.id AS k FROM ${NEED_FROM} WHERE ${NEED_WHERE} AND ($4::float8 IS NULL OR r.label_point && ST_MakeEnvelope($4, $5, $6, $7, 4326))`,
  NEED_FEATURE, NEED_FROM, 'n.id', '$8', '$9');

export async function items(db: Queryable, sql: string, params: unknown[]): Promise<ItemsPage> {
  const row = (await db.query<{ matched: number; returned: number; features: string | null }>(sql, params)).rows[0];
  return { matched: Number(row?.matched ?? 0), returned: Number(row?.returned ?? 0), features: row?.features ?? '' };
}

const box = (b: Bbox | null) => b ?? [null, null, null, null];

export function offerItems(db: Queryable, filter: OfferFilter, p: Paging): Promise<ItemsPage> {
  return items(db, OFFER_ITEMS, [...filterParams(filter), p.limit, p.offset]);
}

export interface NeedItemFilter {
  status: string | null;
  category: string | null;
  bbox: Bbox | null;
  districts?: readonly string[] | null;
}

export function needItems(db: Queryable, f: NeedItemFilter, p: Paging): Promise<ItemsPage> {
  return items(db, NEED_ITEMS, [f.status, f.category, regionPatterns(null, f.districts), ...box(f.bbox), p.limit, p.offset]);
}

/** One offer as the OGC offers collection has it (lists as text). */
export async function offerItem(db: Queryable, id: number): Promise<Record<string, unknown> | undefined> {
  return (await db.query<{ feature: Record<string, unknown> }>(OFFER_ITEM, [id])).rows[0]?.feature;
}

// Every collection's extent in one statement. ST_Extent reads the bounding boxes the GiST
// index already holds; the values are rounded outwards so no feature falls outside.
const EXTENTS = `
  SELECT id, floor(ST_XMin(e) * 1e6) / 1e6 AS xmin, floor(ST_YMin(e) * 1e6) / 1e6 AS ymin,
         ceil(ST_XMax(e) * 1e6) / 1e6 AS xmax, ceil(ST_YMax(e) * 1e6) / 1e6 AS ymax
    FROM (SELECT 'offers' AS id, ST_Extent(geom) AS e FROM offers
          UNION ALL SELECT 'regions-' || level, ST_Extent(geom) FROM regions GROUP BY level
          UNION ALL SELECT 'needs', ST_Extent(r.label_point) FROM ${NEED_FROM}) x
   WHERE e IS NOT NULL`;

/** The bounding box (CRS84) of every non-empty collection, by collection id. */
export async function extents(db: Queryable): Promise<Map<string, Bbox>> {
  const { rows } = await db.query<{ id: string; xmin: number; ymin: number; xmax: number; ymax: number }>(EXTENTS);
  return new Map(rows.map((r) => [r.id, [Number(r.xmin), Number(r.ymin), Number(r.xmax), Number(r.ymax)]]));
}
