import type { Queryable } from '../db/index.ts';

// Lookups for validating an import in bulk: one statement per question for all rows, never
// one per row (an import may hold 50,000 rows).

const LABEL_POINTS = `
  SELECT ags, ST_X(label_point) AS lon, ST_Y(label_point) AS lat
    FROM regions WHERE level = 'gemeinde' AND ags = ANY($1::text[])`;

/** AGS -> [lon, lat] of the Gemeinde's label point (a point inside it, also used for labels). */
export async function gemeindeLabelPoints(db: Queryable, ags: readonly string[]): Promise<Map<string, [number, number]>> {
  if (ags.length === 0) return new Map();
  const { rows } = await db.query<{ ags: string; lon: number; lat: number }>(LABEL_POINTS, [ags]);
  return new Map(rows.map((r) => [r.ags, [r.lon, r.lat]]));
}

// The Gemeinde is chosen as the offers_set_region trigger chooses it (lowest ARS on a shared
// border), so the scope check sees the region the row will get. The extent test is
// offers.repository's insideExtent, for all points at once (ST_Extent is a box2d without
// SRID, hence ST_SetSRID).
const LOCATE = `
  WITH ext AS (SELECT ST_SetSRID(ST_Expand(ST_Extent(geom), $2)::geometry, 4326) AS e FROM regions WHERE level = 'kreis')
  SELECT p.i, coalesce(ST_Intersects(ext.e, pt.g), false) AS inside,
         (SELECT r.ars FROM regions r WHERE r.level = 'gemeinde' AND ST_Intersects(r.geom, pt.g) ORDER BY r.ars LIMIT 1) AS gemeinde
    FROM json_to_recordset($1::json) AS p(i int, lon double precision, lat double precision)
   CROSS JOIN ext
   CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS g) pt`;

export interface PointLocation {
  inside: boolean;
  /** ARS of the Gemeinde the point lies in, or null. */
  gemeinde: string | null;
}

/** For each point (keyed by the caller's index): inside the districts' extent plus margin, and its Gemeinde. */
export async function locatePoints(db: Queryable, points: readonly { i: number; lon: number; lat: number }[], marginDeg = 0.1): Promise<Map<number, PointLocation>> {
  if (points.length === 0) return new Map();
  const { rows } = await db.query<{ i: number; inside: boolean; gemeinde: string | null }>(LOCATE, [JSON.stringify(points), marginDeg]);
  return new Map(rows.map((r) => [r.i, { inside: r.inside, gemeinde: r.gemeinde }]));
}

const EXISTING = `
  SELECT o.external_id, g.ars FROM offers o LEFT JOIN regions g ON g.id = o.region_id
   WHERE o.external_id = ANY($1::text[])`;

/** external_id -> ARS of the Gemeinde the stored offer lies in (null: in none). */
export async function existingOffers(db: Queryable, externalIds: readonly string[]): Promise<Map<string, string | null>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await db.query<{ external_id: string; ars: string | null }>(EXISTING, [externalIds]);
  return new Map(rows.map((r) => [r.external_id, r.ars]));
}

const PROVIDERS = `SELECT id, external_id FROM providers WHERE external_id = ANY($1::text[]) OR id = ANY($2::bigint[])`;

export async function providers(db: Queryable, externalIds: readonly string[], ids: readonly number[]): Promise<{ id: number; external_id: string | null }[]> {
  if (externalIds.length === 0 && ids.length === 0) return [];
  return (await db.query<{ id: number; external_id: string | null }>(PROVIDERS, [externalIds, ids])).rows;
}

/** subcategory key -> its category key. */
export async function subcategories(db: Queryable): Promise<Map<string, string>> {
  const { rows } = await db.query<{ key: string; category_key: string }>('SELECT key, category_key FROM offer_subcategories');
  return new Map(rows.map((r) => [r.key, r.category_key]));
}
