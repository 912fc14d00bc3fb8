import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { regionPatterns } from './region-patterns.ts';
import { joinedPage } from './layer-page.ts';

export type LayerLevel = 'land' | 'kreis' | 'verband' | 'gemeinde';

// Every Gemeinde with its ancestor at the requested level: offers hang on Gemeinden, so
// counting them per Verband or Kreis is a join through this map rather than a spatial query.
export const ANCESTOR_MAP = `
  gmap AS (
    SELECT g.id AS gid,
           CASE $1 WHEN 'gemeinde' THEN g.id WHEN 'verband' THEN g.parent_id WHEN 'kreis' THEN v.parent_id ELSE k.parent_id END AS rid
      FROM regions g LEFT JOIN regions v ON v.id = g.parent_id LEFT JOIN regions k ON k.id = v.parent_id
     WHERE g.level = 'gemeinde')`;

// The latest report of each Verband; a Kreis or Land shows the sum of its Verbände' latest.
export const LATEST_CAPACITY = `
  latest AS (
    SELECT DISTINCT ON (c.region_id) c.* FROM capacity_reports c ORDER BY c.region_id, c.report_date DESC, c.id DESC),
  cap AS (
    SELECT CASE $1 WHEN 'verband' THEN v.id WHEN 'kreis' THEN v.parent_id WHEN 'land' THEN k.parent_id END AS rid,
           max(l.report_date) AS report_date, sum(l.housing_free) AS housing_free,
           sum(l.housing_free_barrier_free) AS housing_free_barrier_free,
           sum(l.shared_accommodation_places) AS shared_accommodation_places, sum(l.kita_free) AS kita_free,
           sum(l.school_free) AS school_free, sum(l.language_course_free) AS language_course_free,
           sum(l.gp_accepting) AS gp_accepting, sum(l.refugees_housed) AS refugees_housed, sum(l.intake_ytd) AS intake_ytd,
           sum(v.population) AS reported_population
      FROM latest l JOIN regions v ON v.id = l.region_id LEFT JOIN regions k ON k.id = v.parent_id
     WHERE $1 <> 'gemeinde' GROUP BY 1)`;

// Offers are counted per Gemeinde and category first: the join to the ancestors then handles a
// few hundred rows instead of every offer (a third of the time at 100,000 offers).
export const OFFER_COUNTS = `
  offer_counts AS (
    SELECT rid, jsonb_object_agg(category_key, n) AS by_category, sum(n) AS total
      FROM (SELECT m.rid, o.category_key, sum(o.n) AS n
              FROM (SELECT region_id, category_key, count(*) AS n FROM offers GROUP BY 1, 2) o JOIN gmap m ON m.gid = o.region_id
             GROUP BY 1, 2) x
     GROUP BY rid)`;

// A need may hang on a Gemeinde, a Verband or a Kreis: it counts for every ancestor too.
export const OPEN_NEEDS = `
  open_needs AS (
    SELECT r.id AS rid, count(*) AS n
      FROM needs n JOIN regions a ON a.id = n.region_id
      LEFT JOIN regions p1 ON p1.id = a.parent_id LEFT JOIN regions p2 ON p2.id = p1.parent_id
      JOIN regions r ON r.id IN (a.id, p1.id, p2.id, p2.parent_id)
     WHERE n.status <> 'erledigt' AND r.level = $1 GROUP BY r.id)`;

// The two rates, per 1,000 inhabitants of the units that reported (cap): a Kreis where some
// Verbände have not reported yet divides their sum by their own population, not the Kreis's, so
// its rate is the population-weighted mean of its Verbände' rates (at Verband level the two
// populations are one).
export const REFUGEES_PER_1000 = 'CASE WHEN cap.reported_population > 0 THEN round(cap.refugees_housed * 1000.0 / cap.reported_population, 2) END';
export const HOUSING_FREE_PER_1000 = 'CASE WHEN cap.reported_population > 0 THEN round(cap.housing_free * 1000.0 / cap.reported_population, 2) END';

const PAGE = `
  WITH ${ANCESTOR_MAP}, ${LATEST_CAPACITY}, ${OFFER_COUNTS}, ${OPEN_NEEDS}
  SELECT r.ars AS k, json_build_object(
    'type', 'Feature', 'id', r.ars,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object(
      'key', r.ars, 'level', r.level, 'ags', r.ags, 'name', r.name, 'kind', r.kind, 'parent_key', p.ars,
      'population', r.population, 'population_date', r.population_date, 'area_km2', r.area_km2,
      'label_point', json_build_array(round(ST_X(r.label_point)::numeric, 6), round(ST_Y(r.label_point)::numeric, 6)),
      'capacity', CASE WHEN cap.rid IS NULL THEN NULL ELSE to_jsonb(cap) - 'rid' - 'reported_population' END,
      'refugees_per_1000', ${REFUGEES_PER_1000},
      'housing_free_per_1000', ${HOUSING_FREE_PER_1000},
      'offers_total', coalesce(oc.total, 0),
      'offers_by_category', coalesce(oc.by_category, '{}'::jsonb),
      'open_needs', coalesce(nd.n, 0)
    ))::text AS f
    FROM regions r
    LEFT JOIN regions p ON p.id = r.parent_id
    LEFT JOIN cap ON cap.rid = r.id
    LEFT JOIN offer_counts oc ON oc.rid = r.id
    LEFT JOIN open_needs nd ON nd.rid = r.id
   WHERE r.level = $1
     AND ($2::text[] IS NULL OR r.ars LIKE ANY($2))
     AND ($3::text IS NULL OR r.ars > $3)
   ORDER BY r.ars LIMIT $4`;

/** The ARS prefix that every descendant of a region at this level shares. */
export function arsPrefix(level: LayerLevel, ars: string): string {
  const len = { land: 2, kreis: 5, verband: 9, gemeinde: 12 }[level];
  return ars.slice(0, len);
}

const LEVEL_OF = `SELECT level FROM regions WHERE ars = $1 ORDER BY array_position(ARRAY['land','kreis','verband','gemeinde'], level) LIMIT 1`;

/** The highest level a key names (a kreisfreie Stadt shares its ARS across levels). */
export async function levelOf(db: Queryable, ars: string): Promise<LayerLevel | undefined> {
  return (await db.query<{ level: LayerLevel }>(LEVEL_OF, [ars])).rows[0]?.level;
}

/** Pages of the region layer at one level, optionally only below the region with that ARS prefix. */
export function regionPage(db: Queryable, level: LayerLevel, parentPrefix: string | null, districts: readonly string[] | null = null) {
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, PAGE, [level, regionPatterns(parentPrefix, districts), after, limit]);
  };
}
