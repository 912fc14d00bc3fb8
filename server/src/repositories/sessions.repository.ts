import type { Queryable } from '../db/index.ts';
import type { Role } from '@ilk/core';

export interface Principal {
  user_id: number;
  email: string;
  display_name: string | null;
  role: Role;
  organisation: string | null;
  districts: string[];
}

const PRINCIPAL_COLUMNS = `
  u.id AS user_id, u.email, u.display_name, u.role, u.organisation,
  coalesce((SELECT array_agg(r.ars ORDER BY r.ars) FROM user_districts d JOIN regions r ON r.id = d.region_id
             WHERE d.user_id = u.id), '{}') AS districts`;

const CREATE = `
  INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at)
  VALUES ($1, $2, $3, now() + make_interval(secs => $4))`;

// Touching last_seen_at in the same statement keeps the idle timeout sliding without a
// second round trip; an expired or idle session is simply not found.
const FIND = `
  UPDATE sessions s SET last_seen_at = now()
    FROM users u
   WHERE s.id_hash = $1 AND u.id = s.user_id AND u.active
     AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
  RETURNING s.csrf_token, ${PRINCIPAL_COLUMNS}`;

export async function create(db: Queryable, idHash: string, userId: number, csrf: string, ttlSeconds: number): Promise<void> {
  await db.query(CREATE, [idHash, userId, csrf, ttlSeconds]);
}

export async function find(db: Queryable, idHash: string, idleSeconds: number): Promise<(Principal & { csrf_token: string }) | undefined> {
  return (await db.query<Principal & { csrf_token: string }>(FIND, [idHash, idleSeconds])).rows[0];
}

export async function remove(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

export async function removeExpired(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM sessions WHERE expires_at <= now()')).rowCount;
}

export { PRINCIPAL_COLUMNS };
