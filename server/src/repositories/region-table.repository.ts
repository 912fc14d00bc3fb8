import { CAPACITY_FIELDS, CATEGORY_KEYS } from '@ilk/core';
import { REGION_COLUMNS_FLAT } from '@ilk/core/registries/region-columns';
import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { featureText, jsonObject } from './json-sql.ts';
import { joinedPage } from './layer-page.ts';
import { items, type Bbox, type ItemsPage, type Paging } from './ogc.repository.ts';
import { regionPatterns } from './region-patterns.ts';
import {
  ANCESTOR_MAP, HOUSING_FREE_PER_1000, LATEST_CAPACITY, OFFER_COUNTS, OPEN_NEEDS, REFUGEES_PER_1000,
} from './region-layer.repository.ts';

// Regions as flat rows of typed columns (core/src/registries/region-columns.ts) for GIS files:
// the OGC API region collections and the region exports. The figures are the map's region layer's
// (the same CTEs and rates); only the shape differs: each capacity count and each category's offer
// count is a column of its own, and the label point is dropped (the feature carries its polygon).

/** The SQL of every column over regions r, parent p, cap, offer_counts oc and open_needs nd. */
export const COLUMN_SQL: Readonly<Record<string, string>> = {
  key: 'r.ars', level: 'r.level', ags: 'r.ags', name: 'r.name', kind: 'r.kind', parent_key: 'p.ars',
  population: 'r.population', population_date: 'r.population_date', area_km2: 'r.area_km2',
  label_lon: 'round(ST_X(r.label_point)::numeric, 6)', label_lat: 'round(ST_Y(r.label_point)::numeric, 6)',
  capacity_report_date: 'cap.report_date',
  ...Object.fromEntries(CAPACITY_FIELDS.map((k) => [`capacity_${k}`, `cap.${k}::int`])),
  refugees_per_1000: REFUGEES_PER_1000,
  housing_free_per_1000: HOUSING_FREE_PER_1000,
  offers_total: 'coalesce(oc.total, 0)::int',
  // Category keys are the registry's own snake_case words, safe in a string literal.
  ...Object.fromEntries(CATEGORY_KEYS.map((k) => [`offers_${k}`, `coalesce((oc.by_category ->> '${k}')::int, 0)`])),
  open_needs: 'coalesce(nd.n, 0)::int',
};

function columnSql(name: string): string {
  const sql = COLUMN_SQL[name];
  if (!sql) throw new Error(`region column ${name} has no SQL in region-table.repository.ts`);
  return sql;
}

/** The flat row (json) of the region r. */
export const REGION_ROW = jsonObject(REGION_COLUMNS_FLAT.map((c) => [c.name, columnSql(c.name)]));
/** The region r as a GeoJSON Feature (text) with the flat row as its properties. */
export const FLAT_FEATURE = featureText('r.ars', 'ST_AsGeoJSON(r.geom, 6)', REGION_ROW);

/** Regions of the level $1 with their indicators; `where` narrows them further. */
export const flatFrom = (where: string) => `
  WITH ${ANCESTOR_MAP}, ${LATEST_CAPACITY}, ${OFFER_COUNTS}, ${OPEN_NEEDS}
  SELECT r.ars AS k, ${FLAT_FEATURE} AS f
    FROM regions r
    LEFT JOIN regions p ON p.id = r.parent_id
    LEFT JOIN cap ON cap.rid = r.id
    LEFT JOIN offer_counts oc ON oc.rid = r.id
    LEFT JOIN open_needs nd ON nd.rid = r.id
   WHERE r.level = $1 AND ($2::text[] IS NULL OR r.ars LIKE ANY($2)) AND ${where}`;

const EXPORT_PAGE = `${flatFrom('($3::text IS NULL OR r.ars > $3)')} ORDER BY r.ars LIMIT $4`;

/** Keyset pages of flat region features at one level (the region exports). */
export function flatRegionPage(db: Queryable, level: string, parentPrefix: string | null, districts: readonly string[] | null) {
  const patterns = regionPatterns(parentPrefix, districts);
  return (after: string | number | null, limit: number): Promise<LayerPage> => joinedPage(db, EXPORT_PAGE, [level, patterns, after, limit]);
}

// OGC items: count and page from one statement (one snapshot, like ogc.repository.ts); the
// indicators are computed for the page's regions only. ST_Intersects rather than && alone: a
// polygon whose box touches the bbox is not necessarily inside it.
const OGC_ITEMS = `
  WITH matched AS (
         SELECT r.ars AS k FROM regions r
          WHERE r.level = $1 AND ($2::text[] IS NULL OR r.ars LIKE ANY($2))
            AND ($3::float8 IS NULL OR ST_Intersects(r.geom, ST_MakeEnvelope($3, $4, $5, $6, 4326)))),
       page AS (SELECT k FROM matched ORDER BY k LIMIT $7 OFFSET $8)
  SELECT (SELECT count(*) FROM matched)::int AS matched,
         (SELECT count(*) FROM page)::int AS returned,
         (SELECT string_agg(x.f, ',' ORDER BY x.k) FROM (${flatFrom('r.ars IN (SELECT k FROM page)')}) x) AS features`;

const OGC_ITEM = `SELECT x.f::json AS feature FROM (${flatFrom('r.ars = $3')}) x`;

export function ogcRegionItems(db: Queryable, level: string, parentPrefix: string | null, bbox: Bbox | null, p: Paging, districts: readonly string[] | null): Promise<ItemsPage> {
  return items(db, OGC_ITEMS, [level, regionPatterns(parentPrefix, districts), ...(bbox ?? [null, null, null, null]), p.limit, p.offset]);
}

export async function ogcRegionItem(db: Queryable, level: string, ars: string): Promise<Record<string, unknown> | undefined> {
  return (await db.query<{ feature: Record<string, unknown> }>(OGC_ITEM, [level, null, ars])).rows[0]?.feature;
}
