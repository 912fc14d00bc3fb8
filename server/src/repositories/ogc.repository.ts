import type { Queryable } from '../db/index.ts';
import { filterParams, OFFER_FEATURE, OFFER_FROM, OFFER_WHERE, type OfferFilter } from './offer-layer.repository.ts';
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

const OFFER_ITEMS = page(`SELECT o.id AS k FROM ${OFFER_FROM} WHERE ${OFFER_WHERE}`, OFFER_FEATURE, OFFER_FROM, 'o.id', '$10', '$11');

// Regions as reference geometry: keys, names and population. The indicator layer with capacities
// stays at /api/regions. ST_Intersects rather than && alone: a polygon whose box touches the
// bbox is not necessarily inside it (the && inside ST_Intersects still uses the GiST index).
const REGION_FEATURE = `json_build_object('type', 'Feature', 'id', r.ars,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object('key', r.ars, 'level', r.level, 'ags', r.ags, 'name', r.name, 'kind', r.kind,
      'parent_key', p.ars, 'population', r.population, 'population_date', r.population_date, 'area_km2', r.area_km2))`;
const REGION_FROM = `regions r LEFT JOIN regions p ON p.id = r.parent_id`;
const REGION_WHERE = `r.level = $1 AND ($2::text[] IS NULL OR r.ars LIKE ANY($2))
  AND ($3::float8 IS NULL OR ST_Intersects(r.geom, ST_MakeEnvelope($3, $4, $5, $6, 4326)))`;
const REGION_ITEMS = page(`SELECT r.id AS k FROM ${REGION_FROM} WHERE ${REGION_WHERE}`, REGION_FEATURE, REGION_FROM, 'r.id', '$7', '$8');
const REGION_ITEM = `SELECT ${REGION_FEATURE} AS feature FROM ${REGION_FROM} WHERE r.level = $1 AND r.ars = $2`;

// A need is drawn at its region's label point, so the bbox tests that point.
const NEED_FROM = `needs n JOIN regions r ON r.id = n.region_id`;
const NEED_ITEMS = page(
  `SELECT n.id AS k FROM ${NEED_FROM} WHERE ${NEED_WHERE} AND ($4::float8 IS NULL OR r.label_point && ST_MakeEnvelope($4, $5, $6, $7, 4326))`,
  NEED_FEATURE, NEED_FROM, 'n.id', '$8', '$9');

async function items(db: Queryable, sql: string, params: unknown[]): Promise<ItemsPage> {
  const row = (await db.query<{ matched: number; returned: number; features: string | null }>(sql, params)).rows[0];
  return { matched: Number(row?.matched ?? 0), returned: Number(row?.returned ?? 0), features: row?.features ?? '' };
}

const box = (b: Bbox | null) => b ?? [null, null, null, null];

export function offerItems(db: Queryable, filter: OfferFilter, p: Paging): Promise<ItemsPage> {
  return items(db, OFFER_ITEMS, [...filterParams(filter), p.limit, p.offset]);
}

export function regionItems(db: Queryable, level: string, parentPrefix: string | null, bbox: Bbox | null, p: Paging, districts: readonly string[] | null = null): Promise<ItemsPage> {
  return items(db, REGION_ITEMS, [level, regionPatterns(parentPrefix, districts), ...box(bbox), p.limit, p.offset]);
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

export async function regionItem(db: Queryable, level: string, ars: string): Promise<Record<string, unknown> | undefined> {
  return (await db.query<{ feature: Record<string, unknown> }>(REGION_ITEM, [level, ars])).rows[0]?.feature;
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
