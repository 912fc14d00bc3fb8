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

// One provider as GET /api/providers/:id returns it (and the audit log stores it).
const PROVIDER_RECORD = `json_build_object('id', p.id, 'external_id', p.external_id, 'name', p.name, 'kind', p.kind,
    'street', p.street, 'postcode', p.postcode, 'city', p.city, 'email', p.email, 'phone', p.phone, 'website', p.website,
    'created_at', p.created_at, 'updated_at', p.updated_at, 'version', p.version)`;

const GET = `SELECT ${PROVIDER_RECORD} AS provider FROM providers p WHERE p.id = $1`;

// Optimistic locking as for offers: the row changes only if its version is the one the client read.
const UPDATE = `
  UPDATE providers SET name = $1, kind = $2, street = $3, postcode = $4, city = $5, email = $6, phone = $7, website = $8,
         version = version + 1, updated_at = now()
   WHERE id = $9 AND version = $10 RETURNING id`;

export const PROVIDER_WRITE_FIELDS = ['name', 'kind', 'street', 'postcode', 'city', 'email', 'phone', 'website'] as const;
export type ProviderWrite = { name: string } & Partial<Record<Exclude<(typeof PROVIDER_WRITE_FIELDS)[number], 'name'>, string | null>>;
export type ProviderRecord = Record<(typeof PROVIDER_WRITE_FIELDS)[number], string | null> & { id: number; external_id: string | null; version: number; created_at: string; updated_at: string };

const writeParams = (w: ProviderWrite) => PROVIDER_WRITE_FIELDS.map((k) => w[k] ?? null);

export async function get(db: Queryable, id: number): Promise<ProviderRecord | undefined> {
  return (await db.query<{ provider: ProviderRecord }>(GET, [id])).rows[0]?.provider;
}

/** Returns false when the version is stale (or the provider is gone): nothing was written. */
export async function update(db: Queryable, id: number, version: number, w: ProviderWrite): Promise<boolean> {
  return (await db.query(UPDATE, [...writeParams(w), id, version])).rowCount === 1;
}

/** Would writing `w` leave the stored provider as it is? An omitted optional field equals a stored null. */
export function writesNothing(stored: ProviderRecord, w: ProviderWrite): boolean {
  return PROVIDER_WRITE_FIELDS.every((k) => (w[k] ?? null) === stored[k]);
}
