import type { Queryable } from '../db/index.ts';

export type RegionLevel = 'land' | 'kreis' | 'verband' | 'gemeinde';

/** One region as loaded by the demo seed or the official import; geometry as GeoJSON text. */
export interface RegionInput {
  level: RegionLevel;
  ars: string;
  ags: string | null;
  name: string;
  kind: string;
  parent_level: RegionLevel | null;
  parent_ars: string | null;
  population: number | null;
  population_date: string | null;
  geometry: string;
}

// All rows of one call go in as one JSON parameter: one round trip for a whole Land, on both
// backends. The geometry is transformed from the source SRID in SQL (PROJ in PostGIS), then
// repaired and forced to MultiPolygon; area from the geography, so it is in true km².
// The WHERE on the update leaves identical rows untouched: importing twice changes nothing.
const UPSERT = `
  WITH input AS (
    SELECT i.*, ST_Multi(ST_CollectionExtract(ST_MakeValid(
             ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(i.geometry), $2::int), 4326)), 3)) AS geom
      FROM json_to_recordset($1::json) AS i(level text, ars text, ags text, name text, kind text,
           parent_level text, parent_ars text, population int, population_date date, geometry text)
  )
  INSERT INTO regions AS r (level, ars, ags, name, kind, parent_id, population, population_date,
                            area_km2, source_key, geom, label_point)
  SELECT i.level, i.ars, i.ags, i.name, i.kind,
         (SELECT p.id FROM regions p WHERE p.level = i.parent_level AND p.ars = i.parent_ars),
         i.population, i.population_date,
         round((ST_Area(i.geom::geography) / 1e6)::numeric, 3), $3, i.geom, ST_PointOnSurface(i.geom)
    FROM input i
  ON CONFLICT (level, ars) DO UPDATE SET
    ags = EXCLUDED.ags, name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
    population = EXCLUDED.population, population_date = EXCLUDED.population_date,
    area_km2 = EXCLUDED.area_km2, source_key = EXCLUDED.source_key, geom = EXCLUDED.geom,
    label_point = EXCLUDED.label_point, updated_at = now()
  WHERE (r.ags, r.name, r.kind, r.parent_id, r.population, r.population_date, r.source_key)
        IS DISTINCT FROM (EXCLUDED.ags, EXCLUDED.name, EXCLUDED.kind, EXCLUDED.parent_id,
                          EXCLUDED.population, EXCLUDED.population_date, EXCLUDED.source_key)
     OR NOT ST_Equals(r.geom, EXCLUDED.geom)
  RETURNING (xmax = 0) AS inserted`;

const COUNT_BY_LEVEL = `SELECT level, count(*)::int AS n FROM regions GROUP BY level`;

export async function upsertRegions(
  db: Queryable,
  rows: readonly RegionInput[],
  sourceSrid: number,
  sourceKey: string,
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: result } = await db.query<{ inserted: boolean }>(UPSERT, [JSON.stringify(rows), sourceSrid, sourceKey]);
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

export async function refreshAggregates(db: Queryable): Promise<void> {
  await db.query('SELECT refresh_region_aggregates()');
}

export async function countByLevel(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ level: string; n: number }>(COUNT_BY_LEVEL);
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

// --- Used by the official import (server/src/import) ---------------------------------------

const MISSING_SRIDS = `
  SELECT s AS srid FROM unnest($1::int[]) AS s
   WHERE NOT EXISTS (SELECT 1 FROM spatial_ref_sys r WHERE r.srid = s)`;

// A Kreis without its own polygon is the union of its Verbände, a Land that of its Kreise;
// made in the layer's own SRID, so upsertRegions transforms it like every other row.
const UNION_GEOMETRIES = `
  SELECT ST_AsGeoJSON(ST_Union(ST_MakeValid(ST_GeomFromGeoJSON(g)))) AS geometry
    FROM json_array_elements_text($1::json) AS g`;

const REGIONS_BY_ARS_PREFIX = `
  SELECT level, ars, name, source_key FROM regions WHERE left(ars, length($1)) = $1 ORDER BY level, ars`;

const COUNT_BY_SOURCE = `SELECT count(*)::int AS n FROM regions WHERE source_key = $1`;

// The register gives each Gemeinde a point (longitude, latitude in ETRS89, which equals WGS 84
// at this scale): the Gemeinde containing it tells where a merged Gemeinde went.
const LOCATE_GEMEINDEN = `
  SELECT p.key, g.ags, g.name
    FROM json_to_recordset($1::json) AS p(key text, lon float8, lat float8)
    JOIN LATERAL (SELECT r.ags, r.name FROM regions r
                   WHERE r.level = 'gemeinde' AND ST_Intersects(r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                   ORDER BY r.ars LIMIT 1) g ON true`;

export async function missingSrids(db: Queryable, srids: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ srid: number }>(MISSING_SRIDS, [srids]);
  return rows.map((r) => r.srid);
}

/** GeoJSON geometries (one SRID, not given) in, their union out as GeoJSON. */
export async function unionGeometries(db: Queryable, geometries: readonly string[]): Promise<string> {
  const { rows } = await db.query<{ geometry: string }>(UNION_GEOMETRIES, [JSON.stringify(geometries)]);
  return rows[0]!.geometry;
}

export async function listRegionsByArsPrefix(db: Queryable, prefix: string): Promise<{ level: RegionLevel; ars: string; name: string; source_key: string | null }[]> {
  return (await db.query<{ level: RegionLevel; ars: string; name: string; source_key: string | null }>(REGIONS_BY_ARS_PREFIX, [prefix])).rows;
}

export async function countBySource(db: Queryable, sourceKey: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(COUNT_BY_SOURCE, [sourceKey]);
  return rows[0]?.n ?? 0;
}

/** For each point, the Gemeinde region containing it (points outside every Gemeinde are left out). */
export async function locateGemeinden(db: Queryable, points: readonly { key: string; lon: number; lat: number }[]): Promise<Map<string, { ags: string; name: string }>> {
  if (points.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; ags: string; name: string }>(LOCATE_GEMEINDEN, [JSON.stringify(points)]);
  return new Map(rows.map((r) => [r.key, { ags: r.ags, name: r.name }]));
}

// Names and keys of the places a need can be reported for: public administrative facts, so a
// partner can pick a Gemeinde or Amt by name without reading the data layers.
// An amtsfreie Gemeinde is both a Verband and its only Gemeinde, with the same area and name:
// listed once, as the Verband. parent_name is a Gemeinde's Amt, kreis_name tells equal names apart.
const PLACE_NAMES = `
  SELECT key, level, kind, name, parent_name, kreis_name FROM (
    SELECT r.ars AS key, r.level, r.kind, r.name, CASE WHEN r.level = 'gemeinde' THEN p.name END AS parent_name,
           k.name AS kreis_name, count(*) OVER (PARTITION BY r.level, r.parent_id) AS siblings
      FROM regions r LEFT JOIN regions p ON p.id = r.parent_id
      LEFT JOIN regions k ON k.level = 'kreis' AND k.ars = left(r.ars, 5) || '0000000'
     WHERE r.level IN ('verband', 'gemeinde')) x
   WHERE NOT (level = 'gemeinde' AND siblings = 1)
   ORDER BY name, level DESC, key`;

export interface PlaceName { key: string; level: 'verband' | 'gemeinde'; kind: string; name: string; parent_name: string | null; kreis_name: string | null }

export async function placeNames(db: Queryable): Promise<PlaceName[]> {
  return (await db.query<PlaceName>(PLACE_NAMES)).rows;
}

// The Gemeinden as a small map to pick a place on: simplified outlines (VG5000 is drawn for
// 1:5,000,000 already; 0.001° is about 100 m) with key and name only. The Gemeinde of an
// amtsfreie Gemeinde carries its Verband's key, as in the list above.
const PLACE_SHAPES = `
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
           'type', 'Feature', 'id', key,
           'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.001), 5)::json,
           'properties', json_build_object('key', key, 'name', name)) ORDER BY key), '[]'::json))::text AS fc
    FROM (SELECT CASE WHEN count(*) OVER (PARTITION BY r.parent_id) = 1 AND p.level = 'verband' THEN p.ars ELSE r.ars END AS key,
                 r.name, r.geom
            FROM regions r LEFT JOIN regions p ON p.id = r.parent_id WHERE r.level = 'gemeinde') g`;

/** A GeoJSON FeatureCollection (as text) of every Gemeinde's simplified outline, key and name. */
export async function placeShapes(db: Queryable): Promise<string> {
  return (await db.query<{ fc: string }>(PLACE_SHAPES)).rows[0]!.fc;
}
