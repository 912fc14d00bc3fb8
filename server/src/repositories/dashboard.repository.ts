import type { Queryable } from '../db/index.ts';
import { ANCESTOR_MAP, OPEN_NEEDS, type LayerLevel } from './region-layer.repository.ts';
import { regionPatterns } from './region-patterns.ts';

// The Ministry's overview, one row per region of a level: offers, places and free places per
// category, open needs, and the capacity history as a series for sparklines. The history
// takes, for each reporting date of the data, every Verband's latest report on or before it,
// so a Kreis's sum at a date never mixes in reports from later dates or misses a Verband that
// reported earlier.
const SUMMARY = `
  WITH ${ANCESTOR_MAP}, ${OPEN_NEEDS},
  offer_stats AS (
    SELECT m.rid, o.category_key, count(*) AS n, coalesce(sum(o.places_total), 0) AS total,
           coalesce(sum(o.places_free), 0) AS free
      FROM offers o JOIN gmap m ON m.gid = o.region_id GROUP BY 1, 2),
  offers_json AS (
    SELECT rid, jsonb_object_agg(category_key, jsonb_build_object('count', n, 'places_total', total, 'places_free', free)) AS j
      FROM offer_stats GROUP BY rid),
  dates AS (
    SELECT DISTINCT report_date FROM capacity_reports ORDER BY report_date DESC LIMIT 12),
  unit AS (
    SELECT v.id AS vid, CASE $1 WHEN 'verband' THEN v.id WHEN 'kreis' THEN v.parent_id WHEN 'land' THEN k.parent_id END AS rid
      FROM regions v LEFT JOIN regions k ON k.id = v.parent_id WHERE v.level = 'verband'),
  series AS (
    SELECT u.rid, d.report_date, sum(c.housing_free) AS housing_free, sum(c.refugees_housed) AS refugees_housed,
           sum(c.kita_free) AS kita_free, sum(c.school_free) AS school_free, sum(c.language_course_free) AS language_course_free,
           sum(c.intake_ytd) AS intake_ytd
      FROM dates d CROSS JOIN unit u
      JOIN LATERAL (SELECT * FROM capacity_reports c WHERE c.region_id = u.vid AND c.report_date <= d.report_date
                     ORDER BY c.report_date DESC, c.id DESC LIMIT 1) c ON true
     WHERE $1 <> 'gemeinde' GROUP BY 1, 2),
  history AS (
    SELECT rid, json_agg(json_build_object('report_date', report_date, 'housing_free', housing_free,
             'refugees_housed', refugees_housed, 'kita_free', kita_free, 'school_free', school_free,
             'language_course_free', language_course_free, 'intake_ytd', intake_ytd) ORDER BY report_date) AS j
      FROM series GROUP BY rid)
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
  capacity_history: { report_date: string; housing_free: number; refugees_housed: number; kita_free: number; school_free: number; language_course_free: number; intake_ytd: number }[];
}

export async function summary(db: Queryable, level: LayerLevel, parentPrefix: string | null, districts: readonly string[] | null): Promise<DashboardRow[]> {
  return (await db.query<DashboardRow>(SUMMARY, [level, regionPatterns(parentPrefix, districts)])).rows;
}
