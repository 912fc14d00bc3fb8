import type { Queryable } from '../db/index.ts';

export interface ProviderImportRow {
  external_id: string;
  name: string;
  kind: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
}

const UPSERT = `
  INSERT INTO providers AS p (external_id, name, kind, street, postcode, city, email, phone, website)
  SELECT i.external_id, i.name, i.kind, i.street, i.postcode, i.city, i.email, i.phone, i.website
    FROM json_to_recordset($1::json) AS i(external_id text, name text, kind text, street text,
         postcode text, city text, email text, phone text, website text)
  ON CONFLICT (external_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
    street = EXCLUDED.street, postcode = EXCLUDED.postcode, city = EXCLUDED.city,
    email = EXCLUDED.email, phone = EXCLUDED.phone, website = EXCLUDED.website,
    version = p.version + 1, updated_at = now()`;

export async function upsertProviders(db: Queryable, rows: readonly ProviderImportRow[]): Promise<void> {
  if (rows.length > 0) await db.query(UPSERT, [JSON.stringify(rows)]);
}
