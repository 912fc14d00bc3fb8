import type { Provider } from '@ilk/core/schemas/networks';
import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { joinedPage } from './layer-page.ts';

export interface ProviderFilter {
  network: number | null;
  category: string | null;
  /** ARS prefix of the region an offer of the provider must lie in. */
  regionPrefix: string | null;
  /** Already escaped for LIKE; matched case-insensitively. */
  q: string | null;
  /** Kreis ARS a coordinator may see; null for the roles that see every district. */
  districts: readonly string[] | null;
}

const PROVIDER = `json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'street', p.street, 'postcode', p.postcode,
    'city', p.city, 'email', p.email, 'phone', p.phone, 'website', p.website,
    'categories', coalesce((SELECT json_agg(DISTINCT o.category_key ORDER BY o.category_key) FROM offers o WHERE o.provider_id = p.id), '[]'),
    'offers', (SELECT count(*) FROM offers o WHERE o.provider_id = p.id),
    'networks', coalesce((SELECT json_agg(json_build_object('id', n.id, 'name', n.name, 'role', m.role) ORDER BY n.name)
                            FROM network_members m JOIN networks n ON n.id = m.network_id WHERE m.provider_id = p.id), '[]'))`;

// Category and region are asked of the same offer: "a Sprache offer in Amt X", not "some offer
// in Amt X and some Sprache offer anywhere". A coordinator sees the providers with an offer in
// their districts or a membership in one of their districts' networks.
const WHERE = `
      ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM network_members m WHERE m.provider_id = p.id AND m.network_id = $1))
  AND (($2::text IS NULL AND $3::text IS NULL) OR EXISTS (
        SELECT 1 FROM offers o LEFT JOIN regions g ON g.id = o.region_id
         WHERE o.provider_id = p.id AND ($2::text IS NULL OR o.category_key = $2) AND ($3::text IS NULL OR g.ars LIKE $3)))
  AND ($4::text IS NULL OR p.name ILIKE $4 OR p.city ILIKE $4)
  AND ($5::text[] IS NULL
       OR EXISTS (SELECT 1 FROM offers o JOIN regions g ON g.id = o.region_id WHERE o.provider_id = p.id AND left(g.ars, 5) = ANY($5))
       OR EXISTS (SELECT 1 FROM network_members m JOIN networks n ON n.id = m.network_id JOIN regions r ON r.id = n.region_id
                   WHERE m.provider_id = p.id AND left(r.ars, 5) = ANY($5)))`;

const LIST = `SELECT ${PROVIDER} AS provider FROM providers p WHERE ${WHERE} ORDER BY p.name, p.id`;

// Keyset pages for the CSV, by id; each row is shaped like a layer feature for streamCsv.
const PAGE = `
  SELECT p.id AS k, json_build_object('id', p.id, 'geometry', NULL, 'properties', ${PROVIDER})::text AS f
    FROM providers p WHERE ${WHERE} AND ($6::bigint IS NULL OR p.id > $6) ORDER BY p.id LIMIT $7`;

const params = (f: ProviderFilter) => [
  f.network, f.category, f.regionPrefix ? `${f.regionPrefix}%` : null, f.q ? `%${f.q}%` : null, f.districts?.map((a) => a.slice(0, 5)) ?? null,
];

export async function list(db: Queryable, f: ProviderFilter): Promise<Provider[]> {
  return (await db.query<{ provider: Provider }>(LIST, params(f))).rows.map((r) => r.provider);
}

export function page(db: Queryable, f: ProviderFilter) {
  const p = params(f);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, PAGE, [...p, after, limit]);
  };
}
