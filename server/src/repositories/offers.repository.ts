import type { Queryable } from '../db/index.ts';

/** An offer as it comes from an import or the demo seed; lon/lat in EPSG:4326. */
export interface OfferImportRow {
  external_id: string | null;
  category: string;
  subcategory: string | null;
  provider_external_id: string | null;
  name: string;
  description: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  languages: string[];
  places_total: number | null;
  places_free: number | null;
  barrier_free: boolean | null;
  target_groups: string[];
  opening_hours: string | null;
  valid_from: string | null;
  valid_to: string | null;
  last_verified: string | null;
  lon: number;
  lat: number;
}

// Bulk upsert keyed by external_id: re-importing a source updates its offers instead of
// duplicating them. Offers without an external id are always inserted.
const UPSERT = `
  INSERT INTO offers AS o (external_id, category_key, subcategory_key, provider_id, name, description,
         street, postcode, city, email, phone, website, languages, places_total, places_free,
         barrier_free, target_groups, opening_hours, valid_from, valid_to, last_verified, geom)
  SELECT i.external_id, i.category, i.subcategory,
         (SELECT p.id FROM providers p WHERE p.external_id = i.provider_external_id),
         i.name, i.description, i.street, i.postcode, i.city, i.email, i.phone, i.website,
         coalesce(ARRAY(SELECT json_array_elements_text(i.languages)), '{}'),
         i.places_total, i.places_free, i.barrier_free,
         coalesce(ARRAY(SELECT json_array_elements_text(i.target_groups)), '{}'),
         i.opening_hours, i.valid_from, i.valid_to, i.last_verified,
         ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326)
    FROM json_to_recordset($1::json) AS i(external_id text, category text, subcategory text,
         provider_external_id text, name text, description text, street text, postcode text, city text,
         email text, phone text, website text, languages json, places_total int, places_free int,
         barrier_free boolean, target_groups json, opening_hours text, valid_from date, valid_to date,
         last_verified date, lon double precision, lat double precision)
  ON CONFLICT (external_id) DO UPDATE SET
    category_key = EXCLUDED.category_key, subcategory_key = EXCLUDED.subcategory_key,
    provider_id = EXCLUDED.provider_id, name = EXCLUDED.name, description = EXCLUDED.description,
    street = EXCLUDED.street, postcode = EXCLUDED.postcode, city = EXCLUDED.city, email = EXCLUDED.email,
    phone = EXCLUDED.phone, website = EXCLUDED.website, languages = EXCLUDED.languages,
    places_total = EXCLUDED.places_total, places_free = EXCLUDED.places_free,
    barrier_free = EXCLUDED.barrier_free, target_groups = EXCLUDED.target_groups,
    opening_hours = EXCLUDED.opening_hours, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
    last_verified = EXCLUDED.last_verified, geom = EXCLUDED.geom,
    version = o.version + 1, updated_at = now()
  RETURNING (xmax = 0) AS inserted`;

export async function upsertOffers(db: Queryable, rows: readonly OfferImportRow[]): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: result } = await db.query<{ inserted: boolean }>(UPSERT, [JSON.stringify(rows)]);
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}
