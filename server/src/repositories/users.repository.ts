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

// ---- Accounts as admins manage them in the app: never the password hash. ----

// Districts with their names; last_seen_at from the user's live sessions and tokens (both
// indexed or small), not from the audit log, which grows without bound.
const SELECT_ACCOUNT = `
  SELECT u.id, u.email, u.display_name, u.role, u.active, u.organisation, u.created_at, u.password_changed_at, u.version,
         coalesce((SELECT json_agg(json_build_object('ars', r.ars, 'name', r.name) ORDER BY r.ars)
                     FROM user_districts d JOIN regions r ON r.id = d.region_id WHERE d.user_id = u.id), '[]'::json) AS districts,
         greatest((SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id),
                  (SELECT max(t.last_used_at) FROM api_tokens t WHERE t.user_id = u.id)) AS last_seen_at
    FROM users u`;

const UPDATE_ACCOUNT = `
  UPDATE users SET display_name = $3, role = $4, organisation = $5, active = $6, version = version + 1
   WHERE id = $1 AND version = $2
  RETURNING id`;

const CLEAR_DISTRICTS = 'DELETE FROM user_districts WHERE user_id = $1';

const SET_PASSWORD = `
  UPDATE users SET password_hash = $2, password_changed_at = now(), version = version + 1 WHERE id = $1 RETURNING id`;

// Locks the active admins' rows, so two admins demoting each other at once cannot both pass
// the "one admin remains" check: the second waits and then sees the first one's change.
const LOCK_ACTIVE_ADMINS = "SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE";

const EXISTING_KREISE = "SELECT ars FROM regions WHERE level = 'kreis' AND ars = ANY($1::text[])";

const END_SESSIONS = 'DELETE FROM sessions WHERE user_id = $1';
const REVOKE_TOKENS = 'UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL';

export interface AccountRow {
  id: number;
  email: string;
  display_name: string | null;
  role: Role;
  active: boolean;
  organisation: string | null;
  created_at: string;
  password_changed_at: string;
  last_seen_at: string | null;
  version: number;
  districts: { ars: string; name: string }[];
}

export interface AccountWrite {
  display_name: string | null;
  role: Role;
  organisation: string | null;
  active: boolean;
}

export async function listAccounts(db: Queryable): Promise<AccountRow[]> {
  return (await db.query<AccountRow>(`${SELECT_ACCOUNT} ORDER BY u.active DESC, u.email`)).rows;
}

export async function getAccount(db: Queryable, id: number): Promise<AccountRow | undefined> {
  return (await db.query<AccountRow>(`${SELECT_ACCOUNT} WHERE u.id = $1`, [id])).rows[0];
}

/** Writes the account's fields when its version is still `version`; false when it is stale. */
export async function updateAccount(db: Queryable, id: number, version: number, w: AccountWrite): Promise<boolean> {
  return (await db.query(UPDATE_ACCOUNT, [id, version, w.display_name, w.role, w.organisation, w.active])).rowCount > 0;
}

export async function replaceDistricts(db: Queryable, userId: number, kreisArs: readonly string[]): Promise<void> {
  await db.query(CLEAR_DISTRICTS, [userId]);
  if (kreisArs.length) await addDistricts(db, userId, kreisArs);
}

export async function setPassword(db: Queryable, id: number, hash: string): Promise<boolean> {
  return (await db.query(SET_PASSWORD, [id, hash])).rowCount > 0;
}

export async function lockActiveAdmins(db: Queryable): Promise<number[]> {
  return (await db.query<{ id: number }>(LOCK_ACTIVE_ADMINS)).rows.map((r) => Number(r.id));
}

/** The given ARS that name a Kreis in the database. */
export async function existingKreise(db: Queryable, ars: readonly string[]): Promise<Set<string>> {
  return new Set((await db.query<{ ars: string }>(EXISTING_KREISE, [ars])).rows.map((r) => r.ars));
}

/** Ends every session of the user and revokes every live token: they stop working at once. */
export async function endAccess(db: Queryable, userId: number): Promise<{ sessions: number; tokens: number }> {
  const sessions = (await db.query(END_SESSIONS, [userId])).rowCount;
  const tokens = (await db.query(REVOKE_TOKENS, [userId])).rowCount;
  return { sessions, tokens };
}
