import type { Network } from '@ilk/core/schemas/networks';
import type { Queryable } from '../db/index.ts';

const NETWORK = `json_build_object('id', n.id, 'name', n.name, 'category', n.category_key, 'region_key', r.ars,
    'region_level', r.level, 'region_name', r.name, 'description', n.description, 'contact_name', n.contact_name,
    'contact_email', n.contact_email, 'contact_phone', n.contact_phone, 'version', n.version,
    'created_at', n.created_at, 'updated_at', n.updated_at,
    'members', coalesce((SELECT json_agg(json_build_object('provider_id', p.id, 'name', p.name, 'role', m.role) ORDER BY p.name, p.id)
                           FROM network_members m JOIN providers p ON p.id = m.provider_id WHERE m.network_id = n.id), '[]'))`;

// $1 category, $2 ARS LIKE pattern of the region, $3 Kreis prefixes a coordinator may see.
const LIST = `
  SELECT ${NETWORK} AS network FROM networks n JOIN regions r ON r.id = n.region_id
   WHERE ($1::text IS NULL OR n.category_key = $1) AND ($2::text IS NULL OR r.ars LIKE $2)
     AND ($3::text[] IS NULL OR left(r.ars, 5) = ANY($3))
   ORDER BY n.name`;

const GET = `SELECT ${NETWORK} AS network FROM networks n JOIN regions r ON r.id = n.region_id WHERE n.id = $1`;

const INSERT = `
  INSERT INTO networks (name, category_key, region_id, description, contact_name, contact_email, contact_phone)
  SELECT $1, $2, r.id, $5, $6, $7, $8 FROM regions r WHERE r.level = $3 AND r.ars = $4
  RETURNING id`;

const UPDATE = `
  UPDATE networks n SET name = $1, category_key = $2, region_id = r.id, description = $5, contact_name = $6,
         contact_email = $7, contact_phone = $8, version = n.version + 1, updated_at = now()
    FROM regions r WHERE r.level = $3 AND r.ars = $4 AND n.id = $9 AND n.version = $10
  RETURNING n.id`;

const INSERT_MEMBERS = `
  INSERT INTO network_members (network_id, provider_id, role)
  SELECT $1, m.provider_id, m.role FROM json_to_recordset($2::json) AS m(provider_id bigint, role text)`;

export interface NetworkWrite {
  name: string;
  category: string | null;
  region_level: string;
  region_ars: string;
  description: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  members: { provider_id: number; role: string | null }[];
}

const params = (w: NetworkWrite) => [w.name, w.category, w.region_level, w.region_ars, w.description, w.contact_name, w.contact_email, w.contact_phone];

export async function list(db: Queryable, f: { category: string | null; regionPrefix: string | null; districts: readonly string[] | null }): Promise<Network[]> {
  const { rows } = await db.query<{ network: Network }>(LIST, [f.category, f.regionPrefix ? `${f.regionPrefix}%` : null, f.districts?.map((a) => a.slice(0, 5)) ?? null]);
  return rows.map((r) => r.network);
}

export async function get(db: Queryable, id: number): Promise<Network | undefined> {
  return (await db.query<{ network: Network }>(GET, [id])).rows[0]?.network;
}

/** Undefined when the region does not exist. */
export async function insert(db: Queryable, w: NetworkWrite): Promise<number | undefined> {
  const id = (await db.query<{ id: number }>(INSERT, params(w))).rows[0]?.id;
  if (id !== undefined) await replaceMembers(db, id, w.members);
  return id;
}

/** False when the version is stale (or the region is unknown: the caller checks that first). */
export async function update(db: Queryable, id: number, version: number, w: NetworkWrite): Promise<boolean> {
  if ((await db.query(UPDATE, [...params(w), id, version])).rowCount !== 1) return false;
  await replaceMembers(db, id, w.members);
  return true;
}

async function replaceMembers(db: Queryable, id: number, members: NetworkWrite['members']): Promise<void> {
  await db.query('DELETE FROM network_members WHERE network_id = $1', [id]);
  if (members.length > 0) await db.query(INSERT_MEMBERS, [id, JSON.stringify(members)]);
}

export async function remove(db: Queryable, id: number, version: number): Promise<boolean> {
  return (await db.query('DELETE FROM networks WHERE id = $1 AND version = $2', [id, version])).rowCount === 1;
}

/** The ids among `ids` that name no provider. */
export async function unknownProviders(db: Queryable, ids: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT i AS id FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM providers p WHERE p.id = i)', [ids]);
  return rows.map((r) => r.id);
}
