import type { Queryable } from '../db/index.ts';
import { ANCESTOR_MAP, OPEN_NEEDS, type LayerLevel } from './region-layer.repository.ts';
import { regionPatterns } from './region-patterns.ts';

// The Ministry's overview, one row per region of a level: offers, places and free places per
// category, open needs, and the capacity history as a series for sparklines.
//
// A series compares like with like: every point sums the same units, namely every unit
// (Amt / amtsfreie Gemeinde) of the region that has reported at all, each with its latest report
// on or before the point's date (carried forward). Points exist only at the region's own
// reporting dates on or after the day its last unit first reported: before that day a point
// would sum fewer units and read as a rise that never happened (one unit's 18 free places
// against fourteen units' 132). Each point says how many units it sums, of how many the region
// has, and the date of its oldest carried report.
const SUMMARY = `
  WITH ${ANCESTOR_MAP}, ${OPEN_NEEDS},
  offer_stats AS (
    SELECT m.rid, o.category_key, count(*) AS n, coalesce(sum(o.places_total), 0) AS total,
           coalesce(sum(o.places_free), 0) AS free
      FROM offers o JOIN gmap m ON m.gid = o.region_id GROUP BY 1, 2),
  offers_json AS (
    SELECT rid, jsonb_object_agg(category_key, jsonb_build_object('count', n, 'places_total', total, 'places_free', free)) AS j
      FROM offer_stats GROUP BY rid),
  unit AS (
    SELECT v.id AS vid, CASE $1 WHEN 'verband' THEN v.id WHEN 'kreis' THEN v.parent_id WHEN 'land' THEN k.parent_id END AS rid
      FROM regions v LEFT JOIN regions k ON k.id = v.parent_id WHERE v.level = 'verband' AND $1 <> 'gemeinde'),
  unit_count AS (SELECT rid, count(*) AS units_total FROM unit GROUP BY rid),
  reporting AS (
    SELECT u.rid, u.vid, min(c.report_date) AS first_date
      FROM unit u JOIN capacity_reports c ON c.region_id = u.vid GROUP BY 1, 2),
  span AS (SELECT rid, max(first_date) AS start_date, count(*) AS units_reported FROM reporting GROUP BY rid),
  dates AS (
    SELECT rid, report_date FROM (
      SELECT x.rid, x.report_date, row_number() OVER (PARTITION BY x.rid ORDER BY x.report_date DESC) AS n
        FROM (SELECT DISTINCT r.rid, c.report_date FROM reporting r JOIN capacity_reports c ON c.region_id = r.vid
                JOIN span s ON s.rid = r.rid WHERE c.report_date >= s.start_date) x) y
     WHERE n <= 12),
  series AS (
    SELECT d.rid, d.report_date, sum(c.housing_free) AS housing_free, sum(c.refugees_housed) AS refugees_housed,
           sum(c.kita_free) AS kita_free, sum(c.school_free) AS school_free, sum(c.language_course_free) AS language_course_free,
           sum(c.intake_ytd) AS intake_ytd, count(*) AS units_reported, min(c.report_date) AS oldest_report_date
      FROM dates d JOIN reporting r ON r.rid = d.rid
      JOIN LATERAL (SELECT * FROM capacity_reports c WHERE c.region_id = r.vid AND c.report_date <= d.report_date
                     ORDER BY c.report_date DESC, c.id DESC LIMIT 1) c ON true
     GROUP BY 1, 2),
  history AS (
    SELECT rid, json_agg(json_build_object('report_date', report_date, 'housing_free', housing_free,
             'refugees_housed', refugees_housed, 'kita_free', kita_free, 'school_free', school_free,
             'language_course_free', language_course_free, 'intake_ytd', intake_ytd, 'units_reported', s.units_reported,
             'units_total', uc.units_total, 'oldest_report_date', oldest_report_date) ORDER BY report_date) AS j
      FROM series s JOIN unit_count uc USING (rid) GROUP BY rid)
  SELECT r.ars AS key, r.level, r.name, r.kind, p.ars AS parent_key, r.population,
         coalesce(oj.j, '{}'::jsonb) AS offers, coalesce(nd.n, 0)::int AS open_needs, coalesce(h.j, '[]'::json) AS capacity_history
    FROM regions r
    LEFT JOIN regions p ON p.id = r.parent_id
    LEFT JOIN offers_json oj ON oj.rid = r.id
    LEFT JOIN open_needs nd ON nd.rid = r.id
    LEFT JOIN history h ON h.rid = r.id
   WHERE r.level = $1 AND ($2::text[] IS NULL OR r.ars LIKE ANY($2))
   ORDER BY r.ars`;

export interface DashboardRow {
  key: string;
  level: LayerLevel;
  name: string;
  kind: string;
  parent_key: string | null;
  population: number | null;
  offers: Record<string, { count: number; places_total: number; places_free: number }>;
  open_needs: number;
  capacity_history: CapacityPoint[];
}

/** One point of a capacity series: sums over the same units at every point of a region's series. */
export interface CapacityPoint {
  report_date: string;
  housing_free: number;
  refugees_housed: number;
  kita_free: number;
  school_free: number;
  language_course_free: number;
  intake_ytd: number;
  /** The units summed (every unit of the region that has reported), and the units the region has. */
  units_reported: number;
  units_total: number;
  /** The oldest report carried forward into this point. */
  oldest_report_date: string;
}

export async function summary(db: Queryable, level: LayerLevel, parentPrefix: string | null, districts: readonly string[] | null): Promise<DashboardRow[]> {
  return (await db.query<DashboardRow>(SUMMARY, [level, regionPatterns(parentPrefix, districts)])).rows;
}
