import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { regionPatterns } from './region-patterns.ts';
import { joinedPage } from './layer-page.ts';
import { featureText, jsonObject, type Member } from './json-sql.ts';

export interface OfferFilter {
  categories: string[] | null;
  subcategory: string | null;
  bbox: [number, number, number, number] | null;
  /** Already escaped for LIKE; matched case-insensitively. */
  q: string | null;
  /** ARS prefix of the region the offers must lie in. */
  regionPrefix: string | null;
  /** Kreise the caller may read (null: all); see region-patterns.ts. */
  districts?: readonly string[] | null;
  withFreePlaces: boolean;
  /** At least this many free places (offers that report none do not match). */
  minFreePlaces?: number | null;
  /** ISO 639-1 codes: offers in at least one of them. */
  languages?: readonly string[] | null;
  /** Target group keys: offers for at least one of them. */
  targetGroups?: readonly string[] | null;
  /** Barrier-free access: yes, no, or not stated (NULL in the table). */
  barrierFree?: BarrierFreeFilter | null;
}

export const BARRIER_FREE_FILTERS = ['true', 'false', 'unknown'] as const;
export type BarrierFreeFilter = (typeof BARRIER_FREE_FILTERS)[number];

// The properties of an offer feature, shared by the layer, single reads and exports: each
// member's name and SQL. OFFER_FEATURE is GeoJSON text (json-sql.ts); cast it where a json
// value is wanted.
export const OFFER_MEMBERS: readonly Member[] = [
  ['id', 'o.id'], ['external_id', 'o.external_id'], ['category', 'o.category_key'], ['subcategory', 'o.subcategory_key'],
  ['provider_id', 'o.provider_id'], ['provider_name', 'pr.name'], ['name', 'o.name'], ['description', 'o.description'],
  ['street', 'o.street'], ['postcode', 'o.postcode'], ['city', 'o.city'], ['email', 'o.email'], ['phone', 'o.phone'],
  ['website', 'o.website'], ['contact_person', 'o.contact_person'], ['languages', 'o.languages'], ['places_total', 'o.places_total'], ['places_free', 'o.places_free'],
  ['barrier_free', 'o.barrier_free'], ['target_groups', 'o.target_groups'], ['opening_hours', 'o.opening_hours'],
  ['valid_from', 'o.valid_from'], ['valid_to', 'o.valid_to'], ['last_verified', 'o.last_verified'],
  ['region_key', 'g.ars'], ['region_name', 'g.name'], ['version', 'o.version'], ['updated_at', 'o.updated_at'],
];
export const OFFER_PROPERTIES = jsonObject(OFFER_MEMBERS);

export const OFFER_FEATURE = featureText('o.id', 'ST_AsGeoJSON(o.geom, 6)', OFFER_PROPERTIES);

export const OFFER_FROM = `offers o LEFT JOIN providers pr ON pr.id = o.provider_id LEFT JOIN regions g ON g.id = o.region_id`;

// Filters are "$n IS NULL OR ...": one statement for every combination. The bbox is an
// envelope in EPSG:4326 compared with && so the GiST index on offers.geom is used.
export const OFFER_WHERE = `
      ($1::text[] IS NULL OR o.category_key = ANY($1))
  AND ($2::text IS NULL OR o.subcategory_key = $2)
  AND ($3::float8 IS NULL OR o.geom && ST_MakeEnvelope($3, $4, $5, $6, 4326))
  AND ($7::text IS NULL OR o.name ILIKE $7 OR o.city ILIKE $7 OR o.description ILIKE $7 OR pr.name ILIKE $7)
  AND ($8::text[] IS NULL OR g.ars LIKE ANY($8))
  AND (NOT $9::boolean OR o.places_free > 0)
  AND ($10::int IS NULL OR o.places_free >= $10)
  AND ($11::text[] IS NULL OR o.languages && $11)
  AND ($12::text[] IS NULL OR o.target_groups && $12)
  AND ($13::text IS NULL OR coalesce(o.barrier_free::text, 'unknown') = $13)`;

/** How many parameters OFFER_WHERE takes; a statement's own parameters follow them. */
export const FILTER_PARAM_COUNT = 13;
/** The placeholder of a statement's i-th own parameter after the filter's (1-based). */
export const afterFilter = (i: number) => `$${FILTER_PARAM_COUNT + i}`;

export function filterParams(f: OfferFilter): unknown[] {
  const [w, s, e, n] = f.bbox ?? [null, null, null, null];
  const params = [
    f.categories, f.subcategory, w, s, e, n, f.q ? `%${f.q}%` : null, regionPatterns(f.regionPrefix, f.districts), f.withFreePlaces,
    f.minFreePlaces ?? null, f.languages ?? null, f.targetGroups ?? null, f.barrierFree ?? null,
  ];
  if (params.length !== FILTER_PARAM_COUNT) throw new Error('filterParams and OFFER_WHERE disagree');
  return params;
}

const PAGE = `
  SELECT o.id AS k, ${OFFER_FEATURE}::text AS f FROM ${OFFER_FROM}
   WHERE ${OFFER_WHERE} AND (${afterFilter(1)}::bigint IS NULL OR o.id > ${afterFilter(1)})
   ORDER BY o.id LIMIT ${afterFilter(2)}`;

export function offerPage(db: Queryable, filter: OfferFilter) {
  const params = filterParams(filter);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, PAGE, [...params, after, limit]);
  };
}

const COUNT_BY_CATEGORY = `
  SELECT o.category_key AS category, count(*)::int AS n FROM ${OFFER_FROM} WHERE ${OFFER_WHERE} GROUP BY 1 ORDER BY 1`;

/** Counts per category under the same filter (the client's category filter shows them). */
export async function countByCategory(db: Queryable, filter: OfferFilter): Promise<Record<string, number>> {
  const { rows } = await db.query<{ category: string; n: number }>(COUNT_BY_CATEGORY, filterParams(filter));
  return Object.fromEntries(rows.map((r) => [r.category, r.n]));
}
