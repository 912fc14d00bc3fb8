import { prepared, type Queryable } from '../db/index.ts';
import { PRINCIPAL_COLUMNS, type Principal } from './sessions.repository.ts';

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const CREATE = `
  INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4)
  RETURNING id, name, prefix, created_at, last_used_at, revoked_at`;

// As with sessions, last_used_at is written at most once a minute: a QGIS session asks for
// hundreds of tiles, and each must not become a write. Prepared: every request with a token runs it.
const FIND = prepared('token_principal', `
  SELECT t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale, ${PRINCIPAL_COLUMNS}
    FROM api_tokens t JOIN users u ON u.id = t.user_id
   WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active`);

const TOUCH = `
  UPDATE api_tokens SET last_used_at = now()
   WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;

const LIST = `
  SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
   WHERE user_id = $1 ORDER BY created_at DESC, id DESC`;

const REVOKE = `
  UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
  RETURNING id, name, prefix, created_at, last_used_at, revoked_at`;

export async function create(db: Queryable, userId: number, name: string, hash: string, prefix: string): Promise<TokenRow> {
  return (await db.query<TokenRow>(CREATE, [userId, name, hash, prefix])).rows[0]!;
}

/** The principal of a live token; records its use when the last one is over a minute old. */
export async function findPrincipal(db: Queryable, hash: string): Promise<Principal | undefined> {
  const row = (await db.query<Principal & { stale: boolean }>(FIND, [hash])).rows[0];
  if (!row) return undefined;
  const { stale, ...principal } = row;
  if (stale) await db.query(TOUCH, [hash]);
  return principal;
}

export async function list(db: Queryable, userId: number): Promise<TokenRow[]> {
  return (await db.query<TokenRow>(LIST, [userId])).rows;
}

export async function revoke(db: Queryable, id: number, userId: number): Promise<TokenRow | undefined> {
  return (await db.query<TokenRow>(REVOKE, [id, userId])).rows[0];
}
