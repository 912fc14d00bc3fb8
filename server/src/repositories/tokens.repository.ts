import type { Queryable } from '../db/index.ts';
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

const FIND = `
  UPDATE api_tokens t SET last_used_at = now()
    FROM users u
   WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.active
  RETURNING ${PRINCIPAL_COLUMNS}`;

const LIST = `
  SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
   WHERE user_id = $1 ORDER BY created_at DESC, id DESC`;

const REVOKE = `
  UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
  RETURNING id, name, prefix, created_at, last_used_at, revoked_at`;

export async function create(db: Queryable, userId: number, name: string, hash: string, prefix: string): Promise<TokenRow> {
  return (await db.query<TokenRow>(CREATE, [userId, name, hash, prefix])).rows[0]!;
}

export async function findPrincipal(db: Queryable, hash: string): Promise<Principal | undefined> {
  return (await db.query<Principal>(FIND, [hash])).rows[0];
}

export async function list(db: Queryable, userId: number): Promise<TokenRow[]> {
  return (await db.query<TokenRow>(LIST, [userId])).rows;
}

export async function revoke(db: Queryable, id: number, userId: number): Promise<TokenRow | undefined> {
  return (await db.query<TokenRow>(REVOKE, [id, userId])).rows[0];
}
