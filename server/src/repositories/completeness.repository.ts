import type { Queryable } from '../db/index.ts';
import type { CompletenessKreis } from '@ilk/core/schemas/completeness';

// What is known and what is missing per Kreis, in one round trip: its units of capacity
// reporting (Verbände) with the date of their latest report, offers per category (every
// category, also the empty ones), open needs. $1: ARS LIKE patterns of the readable Kreise
// (regionPatterns; null = all). Offers and needs count by the Kreis part of their region's ARS.
const COMPLETENESS = `
  WITH k AS (
    SELECT id, ars, name, population, area_km2 FROM regions
     WHERE level = 'kreis' AND ($1::text[] IS NULL OR ars LIKE ANY($1))),
  units AS (
    SELECT v.parent_id AS kid, v.ars, v.name, v.kind, v.population,
           max(c.report_date) AS report_date, count(c.id)::int AS reports
      FROM regions v JOIN k ON k.id = v.parent_id LEFT JOIN capacity_reports c ON c.region_id = v.id
     WHERE v.level = 'verband' GROUP BY v.id),
  gem AS (
    SELECT v.parent_id AS kid, count(*)::int AS n
      FROM regions g JOIN regions v ON v.id = g.parent_id JOIN k ON k.id = v.parent_id
     WHERE g.level = 'gemeinde' GROUP BY 1),
  oc AS (
    SELECT left(r.ars, 5) AS k5, o.category_key, count(*)::int AS n
      FROM offers o JOIN regions r ON r.id = o.region_id GROUP BY 1, 2),
  nd AS (
    SELECT left(r.ars, 5) AS k5, count(*)::int AS n
      FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.status <> 'erledigt' GROUP BY 1)
  SELECT k.ars AS key, k.name, k.population, k.area_km2, coalesce(gem.n, 0) AS gemeinden,
         coalesce((SELECT json_agg(json_build_object('key', u.ars, 'name', u.name, 'kind', u.kind, 'population', u.population,
                                                     'report_date', u.report_date, 'reports', u.reports)
                                   ORDER BY u.report_date IS NOT NULL, u.name) FROM units u WHERE u.kid = k.id), '[]'::json) AS units,
         (SELECT json_agg(json_build_object('category', c.key, 'count', coalesce(oc.n, 0)) ORDER BY c.sort_order, c.key)
            FROM offer_categories c LEFT JOIN oc ON oc.category_key = c.key AND oc.k5 = left(k.ars, 5)) AS offers,
         coalesce(nd.n, 0) AS open_needs
    FROM k LEFT JOIN gem ON gem.kid = k.id LEFT JOIN nd ON nd.k5 = left(k.ars, 5)
   ORDER BY k.ars`;

type Row = Omit<CompletenessKreis, 'units_reported' | 'offers_total'>;

/** The Kreise matching the patterns, units without a report first. */
export async function completeness(db: Queryable, patterns: readonly string[] | null): Promise<CompletenessKreis[]> {
  const { rows } = await db.query<Row>(COMPLETENESS, [patterns]);
  return rows.map((r) => ({
    ...r,
    offers: r.offers ?? [],
    units_reported: r.units.filter((u) => u.report_date !== null).length,
    offers_total: (r.offers ?? []).reduce((s, o) => s + o.count, 0),
  }));
}
