import type { Queryable } from '../db/index.ts';

export type AuditAction = 'create' | 'update' | 'delete' | 'import' | 'login' | 'logout' | 'token_create' | 'token_revoke' | 'decide';

export interface AuditEntry {
  user_id: number | null;
  actor: string;
  action: AuditAction;
  entity: string;
  entity_id: string | null;
  before?: unknown;
  after?: unknown;
  request_id?: string | null;
}

export interface AuditFilter {
  entity?: string | undefined;
  entity_id?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

const INSERT = `
  INSERT INTO audit_log (user_id, actor, action, entity, entity_id, before, after, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

// Optional filters as "$n IS NULL OR ..." keep one statement and one plan for every combination.
const LIST = `
  SELECT id, at, user_id, actor, action, entity, entity_id, before, after, request_id, count(*) OVER () AS total
    FROM audit_log
   WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)
     AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)
     AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
   ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8`;

/** Called inside the transaction of the write it records: both happen, or neither. */
export async function record(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(INSERT, [
    e.user_id, e.actor, e.action, e.entity, e.entity_id,
    e.before === undefined ? null : JSON.stringify(e.before),
    e.after === undefined ? null : JSON.stringify(e.after),
    e.request_id ?? null,
  ]);
}

export async function list(db: Queryable, f: AuditFilter): Promise<{ total: number; entries: Record<string, unknown>[] }> {
  const { rows } = await db.query<Record<string, unknown> & { total: number }>(LIST, [
    f.entity ?? null, f.entity_id ?? null, f.actor ?? null, f.action ?? null, f.from ?? null, f.to ?? null, f.limit, f.offset,
  ]);
  return { total: rows[0]?.total ?? 0, entries: rows.map(({ total: _t, ...rest }) => rest) };
}
