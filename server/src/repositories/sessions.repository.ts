import { prepared, type Queryable } from '../db/index.ts';
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

// Every authenticated request reads its session; writing last_seen_at each time would turn
// every read into a write. The read is a plain SELECT that also says whether the idle clock is
// more than a minute old; only then does a second statement touch it (at most once a minute).
// Prepared: planning it cost more than running it. expires_ms bounds how long the principal
// cache (services/principal-cache.ts) may keep the answer.
const FIND = prepared('session_principal', `
  SELECT s.csrf_token, s.last_seen_at < now() - interval '1 minute' AS stale,
         (extract(epoch FROM s.expires_at) * 1000)::float8 AS expires_ms, ${PRINCIPAL_COLUMNS}
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id_hash = $1 AND u.active
     AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)`);

const TOUCH = `UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1 AND last_seen_at < now() - interval '1 minute'`;

export async function create(db: Queryable, idHash: string, userId: number, csrf: string, ttlSeconds: number): Promise<void> {
  await db.query(CREATE, [idHash, userId, csrf, ttlSeconds]);
}

export type LiveSession = Principal & { csrf_token: string; /** absolute expiry, ms since the epoch */ expires_ms: number };

/** The live session's principal and CSRF token; restarts the idle clock when it is over a minute old. */
export async function find(db: Queryable, idHash: string, idleSeconds: number): Promise<LiveSession | undefined> {
  const row = (await db.query<LiveSession & { stale: boolean }>(FIND, [idHash, idleSeconds])).rows[0];
  if (!row) return undefined;
  const { stale, ...session } = row;
  if (stale) await db.query(TOUCH, [idHash]);
  return session;
}

export async function remove(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

export async function removeExpired(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM sessions WHERE expires_at <= now()')).rowCount;
}

export { PRINCIPAL_COLUMNS };
