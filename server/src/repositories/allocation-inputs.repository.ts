import type { AllocationInputUnit } from '@ilk/core';
import type { Queryable } from '../db/index.ts';

// Offers count as within reach of a unit when they lie within this distance of its boundary
// (or inside it). 10 km is about the distance a bus ride in a rural Amt covers in half an hour.
export const REACH_METRES = 10_000;

// All units of one Kreis (or every Kreis) in one statement; docs/allocation.md, "Where the
// criterion values come from", explains each derivation. $1 Kreis ARS or null, $2 period
// (year), $3 reach in metres.
const UNITS = `
  WITH units AS (
    SELECT v.id, v.ars, v.name, k.ars AS kreis, coalesce(v.population, 0) AS population,
           v.population_date, v.geom, v.created_at, coalesce(v.source_key = 'demo', false) AS demo
      FROM regions v JOIN regions k ON k.id = v.parent_id AND k.level = 'kreis'
     WHERE v.level = 'verband' AND ($1::text IS NULL OR k.ars = $1)),
  latest AS (
    SELECT DISTINCT ON (c.region_id) c.*
      FROM capacity_reports c JOIN units u ON u.id = c.region_id
     ORDER BY c.region_id, c.report_date DESC, c.id DESC),
  -- intake_ytd counts from 1 January: only a report of the period itself says what the unit
  -- received in it.
  period_report AS (
    SELECT DISTINCT ON (c.region_id) c.region_id, c.report_date, c.intake_ytd
      FROM capacity_reports c JOIN units u ON u.id = c.region_id
     WHERE c.report_date >= make_date($2, 1, 1) AND c.report_date < make_date($2 + 1, 1, 1)
     ORDER BY c.region_id, c.report_date DESC, c.id DESC),
  -- Decided intake not yet contained in that report: decisions from its date onwards.
  decided AS (
    SELECT i.unit_id, sum(i.persons) AS persons, max(i.decided_at) AS decided_at
      FROM allocation_intakes i JOIN units u ON u.id = i.unit_id
      LEFT JOIN period_report p ON p.region_id = i.unit_id
     WHERE i.period = $2 AND (p.report_date IS NULL OR i.decided_at >= p.report_date::timestamptz)
     GROUP BY i.unit_id),
  -- The bounding-box test (0.2 degrees, more than 10 km anywhere in Germany) lets the GiST
  -- index on offers.geom pick the candidates; the geography test then measures in metres.
  reach AS (
    SELECT u.id AS unit_id,
           count(*) FILTER (WHERE o.category_key = 'arbeit') AS labour,
           count(*) FILTER (WHERE o.category_key = 'gesundheit' AND o.subcategory_key IS DISTINCT FROM 'hausarzt') AS health,
           max(o.updated_at) AS updated_at
      FROM units u
      JOIN offers o ON o.category_key IN ('arbeit', 'gesundheit')
       AND o.geom && ST_Expand(u.geom, 0.2)
       AND ST_DWithin(o.geom::geography, u.geom::geography, $3)
       AND (o.valid_from IS NULL OR o.valid_from <= current_date)
       AND (o.valid_to IS NULL OR o.valid_to >= current_date)
       -- Only offers of the unit's own data set: the fictional demo district's offers never
       -- count for a real unit beside it, nor real ones for the demo (as in coverage).
       AND coalesce((SELECT r.source_key = 'demo' FROM regions r WHERE r.id = o.region_id), false) = u.demo
     GROUP BY u.id),
  -- Offers hang on Gemeinden (offers_set_region); their parent is the unit.
  languages AS (
    SELECT g.parent_id AS unit_id, array_agg(DISTINCT l.code ORDER BY l.code) AS codes, max(o.updated_at) AS updated_at
      FROM offers o JOIN regions g ON g.id = o.region_id
      CROSS JOIN LATERAL unnest(o.languages) AS l(code)
     WHERE g.parent_id IN (SELECT id FROM units)
     GROUP BY g.parent_id),
  -- Needs recorded on the unit itself or on one of its Gemeinden.
  unit_needs AS (
    SELECT u.id AS unit_id, count(*) FILTER (WHERE n.status <> 'erledigt') AS open, max(n.updated_at) AS updated_at
      FROM units u JOIN regions r ON r.id = u.id OR (r.parent_id = u.id AND r.level = 'gemeinde')
      JOIN needs n ON n.region_id = r.id
     GROUP BY u.id)
  SELECT u.ars AS key, u.name, u.kreis, u.population, u.population_date,
         coalesce(p.intake_ytd, 0) + coalesce(d.persons, 0) AS prior_intake,
         coalesce(p.intake_ytd, 0) AS reported_intake,
         coalesce(d.persons, 0) AS decided_intake,
         coalesce(l.shared_accommodation_places, 0) AS shared_accommodation_places,
         -- Null without a report: unknown, not 0; the request's unknown_capacity decides.
         l.housing_free,
         l.housing_free_barrier_free,
         jsonb_strip_nulls(jsonb_build_object(
           'housing_free', l.housing_free,
           'kita_free', l.kita_free,
           'school_free', l.school_free,
           'language_course_free', l.language_course_free,
           'health_care', l.gp_accepting + coalesce(r.health, 0),
           'labour_market', coalesce(r.labour, 0),
           'load', CASE WHEN u.population > 0 THEN l.refugees_housed * 1000.0 / u.population END,
           'open_needs', coalesce(n.open, 0)
         )) AS criteria,
         coalesce(g.codes, '{}') AS languages,
         l.report_date,
         u.created_at AS known_since,
         greatest(l.report_date::timestamptz, p.report_date::timestamptz, d.decided_at, r.updated_at,
                  g.updated_at, n.updated_at) AS data_as_of
    FROM units u
    LEFT JOIN latest l ON l.region_id = u.id
    LEFT JOIN period_report p ON p.region_id = u.id
    LEFT JOIN decided d ON d.unit_id = u.id
    LEFT JOIN reach r ON r.unit_id = u.id
    LEFT JOIN languages g ON g.unit_id = u.id
    LEFT JOIN unit_needs n ON n.unit_id = u.id
   ORDER BY u.ars`;

/**
 * The engine's inputs for every allocation unit of a Kreis (kreisArs) or of all Kreise (null),
 * sorted by key; period is the year whose intake is credited.
 */
export async function unitInputs(db: Queryable, kreisArs: string | null, period: number): Promise<AllocationInputUnit[]> {
  type Row = Omit<AllocationInputUnit, 'population_date' | 'data_as_of' | 'known_since'> &
    { population_date: string | null; data_as_of: Date | string | null; known_since: Date | string };
  const { rows } = await db.query<Row>(UNITS, [kreisArs, period, REACH_METRES]);
  return rows.map(({ population_date, data_as_of, known_since, ...row }) => ({
    ...row,
    ...(population_date === null ? {} : { population_date }),
    known_since: new Date(known_since).toISOString(),
    data_as_of: data_as_of === null ? null : new Date(data_as_of).toISOString(),
  }));
}

const KREIS = `SELECT id, ars, name FROM regions WHERE level = 'kreis' AND ars = $1`;

export async function findKreis(db: Queryable, ars: string): Promise<{ id: number; ars: string; name: string } | undefined> {
  return (await db.query<{ id: number; ars: string; name: string }>(KREIS, [ars])).rows[0];
}
