import type { Queryable } from '../db/index.ts';
import type { Role } from '@ilk/core';

export interface UserRow {
  id: number;
  email: string;
  display_name: string | null;
  role: Role;
  active: boolean;
  organisation: string | null;
  password_hash: string;
  districts: string[];
  created_at: string;
}

// Districts as ARS of the Kreise, aggregated in SQL.
const SELECT_USER = `
  SELECT u.id, u.email, u.display_name, u.role, u.active, u.organisation, u.password_hash, u.created_at,
         coalesce((SELECT array_agg(r.ars ORDER BY r.ars) FROM user_districts d JOIN regions r ON r.id = d.region_id
                    WHERE d.user_id = u.id), '{}') AS districts
    FROM users u`;

const INSERT = `
  INSERT INTO users (email, display_name, role, password_hash, organisation)
  VALUES (lower($1), $2, $3, $4, $5)
  ON CONFLICT (email) DO NOTHING
  RETURNING id`;

const SET_DISTRICTS = `
  INSERT INTO user_districts (user_id, region_id)
  SELECT $1, r.id FROM regions r WHERE r.level = 'kreis' AND r.ars = ANY($2::text[])
  ON CONFLICT DO NOTHING`;

export async function findByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>(`${SELECT_USER} WHERE u.email = lower($1)`, [email])).rows[0];
}

export async function findById(db: Queryable, id: number): Promise<UserRow | undefined> {
  return (await db.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [id])).rows[0];
}

export async function list(db: Queryable): Promise<Omit<UserRow, 'password_hash'>[]> {
  const { rows } = await db.query<UserRow>(`${SELECT_USER} ORDER BY u.email`);
  return rows.map(({ password_hash: _omit, ...rest }) => rest);
}

/** Creates a user unless the e-mail exists; returns the new id or undefined. */
export async function create(
  db: Queryable,
  u: { email: string; display_name: string | null; role: Role; password_hash: string; organisation?: string | null },
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(INSERT, [u.email, u.display_name, u.role, u.password_hash, u.organisation ?? null]);
  return rows[0]?.id;
}

export async function addDistricts(db: Queryable, userId: number, kreisArs: readonly string[]): Promise<void> {
  await db.query(SET_DISTRICTS, [userId, kreisArs]);
}

/** Every Kreis in the database: what an admin-created coordinator of a one-district install gets. */
export async function allKreisArs(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'kreis' ORDER BY ars");
  return rows.map((r) => r.ars);
}
