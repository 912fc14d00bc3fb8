import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { joinedPage } from './layer-page.ts';

// Coverage: each Gemeinde's distance to the nearest offer of a category, and the share of the
// population within given distances. Every statement shares the parameters
//   $1 category, $2 subcategory | null, $3 free places only, $4 ARS LIKE pattern | null,
//   $5 Kreis prefixes (5 digits) a coordinator may see | null, $6 thresholds in km (int[]).
//
// The Gemeinde is measured from its label point (ST_PointOnSurface, see 001_regions.sql): with no
// population grid, it stands in for a population-weighted point. That is exact enough for small
// Gemeinden and understates the distance for people at the far end of a large one.

export interface CoverageFilter {
  category: string;
  subcategory: string | null;
  freeOnly: boolean;
  /** ARS prefix of the region (`parent`) whose Gemeinden are measured. */
  regionPrefix: string | null;
  /** Kreis ARS a coordinator may see; null for the roles that see every district. */
  districts: readonly string[] | null;
}

const OFFER_MATCH = `o.category_key = $1 AND ($2::text IS NULL OR o.subcategory_key = $2) AND (NOT $3::boolean OR o.places_free > 0)`;

// An offer belongs to the data set of its region: the fictional demo district (source 'demo')
// or the real data. A Gemeinde is measured to offers of its own data set only, never across
// (a real Gemeinde is not "60 km from a language course" in the made-up demo district).
const OFFER_IS_DEMO = `coalesce((SELECT r.source_key = 'demo' FROM regions r WHERE r.id = o.region_id), false)`;
const GEMEINDE_IS_DEMO = `coalesce(g.source_key = 'demo', false)`;

// Without a single matching offer of its data set the KNN scan below would walk the whole index
// for every Gemeinde; this uncorrelated test runs once (an InitPlan) per data set and switches
// the lateral off.
const ANY_OFFER = `any_offer AS (
    SELECT EXISTS (SELECT 1 FROM offers o WHERE ${OFFER_MATCH} AND ${OFFER_IS_DEMO}) AS demo,
           EXISTS (SELECT 1 FROM offers o WHERE ${OFFER_MATCH} AND NOT ${OFFER_IS_DEMO}) AS other)`;

// The nearest offer by an index-ordered KNN search on the sphere (offers_geog_idx, 006): one
// index descent per Gemeinde instead of comparing every pair. The distance itself is
// ST_DistanceSphere, in metres on the same sphere the ordering used. The data-set test is a
// filter on the rows the index hands out in distance order (a primary-key lookup of the offer's
// region each), not part of the ordering, so the KNN index scan stays; it reads past offers of
// the other data set only where those are nearer.
const NEAREST = `
  LEFT JOIN LATERAL (
    SELECT o.id AS offer_id, ST_DistanceSphere(o.geom, g.label_point) AS distance_m
      FROM offers o
     WHERE ${OFFER_MATCH} AND ${OFFER_IS_DEMO} = ${GEMEINDE_IS_DEMO}
       AND CASE WHEN ${GEMEINDE_IS_DEMO} THEN (SELECT demo FROM any_offer) ELSE (SELECT other FROM any_offer) END
     ORDER BY o.geom::geography <-> g.label_point::geography
     LIMIT 1) n ON true`;

const IN_SCOPE = `g.level = 'gemeinde' AND ($4::text IS NULL OR g.ars LIKE $4) AND ($5::text[] IS NULL OR left(g.ars, 5) = ANY($5))`;

const within = (km: string) => `CASE WHEN d.distance_m <= ${km} * 1000 THEN 1 ELSE 0 END`;

// Population-weighted figures per group `d.key`; inhabitants of Gemeinden without any offer
// count as out of reach, and a group without inhabitants has no share (null, not 0). A white
// spot is an inhabited Gemeinde (or one of unknown population) out of reach.
const STATS = `
  stats AS (
    SELECT d.key, sum(d.population) AS population, count(*)::int AS gemeinden,
           round((sum(d.population * d.distance_m) / nullif(sum(d.population) FILTER (WHERE d.distance_m IS NOT NULL), 0))::numeric, 1) AS mean_distance_m,
           round(max(d.distance_m)::numeric, 1) AS max_distance_m
      FROM d GROUP BY d.key),
  per_threshold AS (
    SELECT d.key, t.km,
           round(sum(d.population * ${within('t.km')})::numeric / nullif(sum(d.population), 0), 4) AS share,
           count(*) FILTER (WHERE d.inhabited AND ${within('t.km')} = 0) AS out_of_reach
      FROM d CROSS JOIN unnest($6::int[]) AS t(km) GROUP BY d.key, t.km),
  thresholds AS (
    SELECT key, jsonb_object_agg('within_' || km || 'km', share) || jsonb_object_agg('white_spots_' || km || 'km', out_of_reach) AS j
      FROM per_threshold GROUP BY key)`;

const GEMEINDE_PROPERTIES = `jsonb_build_object(
    'key', p.ars, 'name', p.name, 'parent_key', p.parent_key, 'population', p.population,
    'label_point', jsonb_build_array(round(ST_X(p.label_point)::numeric, 6), round(ST_Y(p.label_point)::numeric, 6)),
    'distance_m', round(p.distance_m::numeric, 1), 'nearest_offer_id', p.offer_id)
  || (SELECT jsonb_object_agg('within_' || km || 'km', CASE WHEN p.distance_m <= km * 1000 THEN 1 ELSE 0 END) FROM unnest($6::int[]) km)`;

// $7 after (ARS), $8 page size, $9 white-spot threshold in km | null (then every Gemeinde).
// A white spot is an inhabited Gemeinde (or one of unknown population) out of reach.
const GEMEINDE_PAGE = `
  WITH ${ANY_OFFER},
  p AS (
    SELECT g.ars, g.name, g.population, g.geom, g.label_point, v.ars AS parent_key, n.offer_id, n.distance_m
      FROM regions g LEFT JOIN regions v ON v.id = g.parent_id ${NEAREST}
     WHERE ${IN_SCOPE} AND ($7::text IS NULL OR g.ars > $7)
       AND ($9::int IS NULL OR (coalesce(g.population, 1) > 0 AND (n.distance_m IS NULL OR n.distance_m > $9 * 1000)))
     ORDER BY g.ars LIMIT $8)
  SELECT p.ars AS k, json_build_object('type', 'Feature', 'id', p.ars, 'geometry', ST_AsGeoJSON(p.geom, 6)::json,
         'properties', ${GEMEINDE_PROPERTIES})::text AS f
    FROM p ORDER BY p.ars`;

// A page of Verbände first ($7 after, $8 size), then only their Gemeinden are measured.
const VERBAND_PAGE = `
  WITH ${ANY_OFFER},
  units AS (
    SELECT v.id, v.ars, v.name, v.geom, k.ars AS parent_key FROM regions v LEFT JOIN regions k ON k.id = v.parent_id
     WHERE v.level = 'verband' AND ($4::text IS NULL OR v.ars LIKE $4) AND ($5::text[] IS NULL OR left(v.ars, 5) = ANY($5))
       AND ($7::text IS NULL OR v.ars > $7)
     ORDER BY v.ars LIMIT $8),
  d AS (
    SELECT u.ars AS key, coalesce(g.population, 0) AS population, coalesce(g.population, 1) > 0 AS inhabited, n.distance_m
      FROM units u JOIN regions g ON g.parent_id = u.id ${NEAREST}
     WHERE ${IN_SCOPE}),
  ${STATS}
  SELECT u.ars AS k, json_build_object('type', 'Feature', 'id', u.ars, 'geometry', ST_AsGeoJSON(u.geom, 6)::json,
         'properties', jsonb_build_object('key', u.ars, 'name', u.name, 'parent_key', u.parent_key,
           'population', coalesce(s.population, 0), 'gemeinden', coalesce(s.gemeinden, 0),
           'mean_distance_m', s.mean_distance_m, 'max_distance_m', s.max_distance_m) || coalesce(t.j, '{}'))::text AS f
    FROM units u LEFT JOIN stats s ON s.key = u.ars LEFT JOIN thresholds t ON t.key = u.ars
   ORDER BY u.ars`;

export type TableLevel = 'verband' | 'kreis' | 'land';

// The group a Gemeinde belongs to at each level; identifiers from this allow-list only. A
// Kreis and a Land are ARS prefixes (Land 2, RB 1, Kreis 2 digits), the Verband its parent.
const GROUP_KEY: Record<TableLevel, string> = {
  verband: '(SELECT v.ars FROM regions v WHERE v.id = g.parent_id)',
  kreis: "rpad(left(g.ars, 5), 12, '0')",
  land: "rpad(left(g.ars, 2), 12, '0')",
};

// Every Gemeinde is measured once (base) and counted twice: in its group and in the total over
// all groups (key ''), so a table and its total cost one KNN pass, not two.
const tableSql = (level: TableLevel) => `
  WITH ${ANY_OFFER},
  base AS (
    SELECT ${GROUP_KEY[level]} AS key, coalesce(g.population, 0) AS population, coalesce(g.population, 1) > 0 AS inhabited, n.distance_m
      FROM regions g ${NEAREST}
     WHERE ${IN_SCOPE}),
  d AS (SELECT * FROM base UNION ALL SELECT '' AS key, population, inhabited, distance_m FROM base),
  ${STATS}
  SELECT s.key, r.name, s.population, s.gemeinden, s.mean_distance_m, s.max_distance_m, t.j AS thresholds
    FROM stats s JOIN thresholds t ON t.key = s.key LEFT JOIN regions r ON r.ars = s.key AND r.level = '${level}'
   ORDER BY s.key`;
const TABLE: Record<TableLevel, string> = { verband: tableSql('verband'), kreis: tableSql('kreis'), land: tableSql('land') };

const params = (f: CoverageFilter, thresholdsKm: readonly number[]) => [
  f.category, f.subcategory, f.freeOnly, f.regionPrefix ? `${f.regionPrefix}%` : null,
  f.districts ? f.districts.map((a) => a.slice(0, 5)) : null, thresholdsKm,
];

/** Pages of Gemeinden with their distance; with `whiteSpotKm`, only those out of reach. */
export function gemeindePage(db: Queryable, f: CoverageFilter, thresholdsKm: readonly number[], whiteSpotKm: number | null = null) {
  const p = params(f, thresholdsKm);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, GEMEINDE_PAGE, [...p, after, limit, whiteSpotKm]);
  };
}

export function verbandPage(db: Queryable, f: CoverageFilter, thresholdsKm: readonly number[]) {
  const p = params(f, thresholdsKm);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, VERBAND_PAGE, [...p, after, limit]);
  };
}

interface CoverageRowBase {
  key: string;
  name: string | null;
  population: number;
  gemeinden: number;
  mean_distance_m: number | null;
  max_distance_m: number | null;
}

/** Per threshold: within_<km>km (population share 0..1, null without inhabitants) and white_spots_<km>km. */
export type CoverageRow = CoverageRowBase & Record<`within_${number}km` | `white_spots_${number}km`, number | null>;

/**
 * Population-weighted coverage per Verband, Kreis or Land over the Gemeinden in the filter, and
 * the same figures over all of them (`total`, key '', null when no Gemeinde is in the filter).
 */
export async function coverageTableWithTotal(db: Queryable, level: TableLevel, f: CoverageFilter, thresholdsKm: readonly number[]): Promise<{ rows: CoverageRow[]; total: CoverageRow | null }> {
  const { rows } = await db.query<CoverageRowBase & { thresholds: Record<string, number | null> }>(TABLE[level], params(f, thresholdsKm));
  const all = rows.map(({ thresholds, ...row }) => ({ ...row, ...thresholds }) as CoverageRow);
  return { rows: all.filter((r) => r.key !== ''), total: all.find((r) => r.key === '') ?? null };
}

export async function coverageTable(db: Queryable, level: TableLevel, f: CoverageFilter, thresholdsKm: readonly number[]): Promise<CoverageRow[]> {
  return (await coverageTableWithTotal(db, level, f, thresholdsKm)).rows;
}

export interface VerbandCoverage {
  ars: string;
  name: string | null;
  population: number;
  gemeinden: number;
  /** Share of the population (0..1) living within thresholdKm of an offer; null without inhabitants. */
  share_within: number | null;
  /** Inhabited Gemeinden farther than thresholdKm from every offer. */
  white_spots: number;
  /** Population-weighted mean distance to the nearest offer, over Gemeinden that have one. */
  mean_distance_m: number | null;
  max_distance_m: number | null;
}

/**
 * The coverage indicator per allocation unit (Verband) of one Kreis, for the allocation criteria:
 * how much of each unit's population reaches an offer of the category within thresholdKm.
 */
export async function coverageByVerband(db: Queryable, kreisArs: string, category: string, thresholdKm: number): Promise<VerbandCoverage[]> {
  const rows = await coverageTable(db, 'verband', { category, subcategory: null, freeOnly: false, regionPrefix: kreisArs.slice(0, 5), districts: null }, [thresholdKm]);
  return rows.map((r) => ({
    ars: r.key, name: r.name, population: r.population, gemeinden: r.gemeinden,
    share_within: r[`within_${thresholdKm}km`] ?? null, white_spots: r[`white_spots_${thresholdKm}km`] ?? 0,
    mean_distance_m: r.mean_distance_m, max_distance_m: r.max_distance_m,
  }));
}
