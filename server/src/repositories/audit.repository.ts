import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { joinedPage } from './layer-page.ts';

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
  /** Part of the actor's e-mail, case-insensitive. */
  actor?: string | undefined;
  user_id?: number | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** An entry as read back: `at` as an ISO string on both backends. */
export interface StoredAuditEntry {
  id: number;
  at: string;
  user_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

const INSERT = `
  INSERT INTO audit_log (user_id, actor, action, entity, entity_id, before, after, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

// Optional filters as "$n IS NULL OR ..." keep one statement and one plan for every combination.
// The actor filter is a substring of the e-mail ($3 arrives escaped for LIKE).
const WHERE = `
      ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)
  AND ($3::text IS NULL OR actor ILIKE $3) AND ($4::text IS NULL OR action = $4)
  AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
  AND ($7::bigint IS NULL OR user_id = $7)`;

// ISO text made in SQL: pg would hand a Date, PGlite a Date too, JSON wants a string.
const AT = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const COLUMNS = `id, ${AT} AS at, user_id, actor, action, entity, entity_id, before, after, request_id`;

const LIST = `
  SELECT ${COLUMNS}, count(*) OVER () AS total
    FROM audit_log WHERE ${WHERE}
   ORDER BY audit_log.at DESC, id DESC LIMIT $8 OFFSET $9`;

// Keyset pages for the CSV, newest first. The page helper continues after the largest key, so
// the key is -id: ascending -id is descending id, and "id < -$8" still uses the primary key.
const PAGE = `
  SELECT -id AS k, json_build_object('id', id, 'geometry', NULL, 'properties', json_build_object(
           'id', id, 'at', ${AT}, 'user_id', user_id, 'actor', actor, 'action', action, 'entity', entity,
           'entity_id', entity_id, 'before', before, 'after', after, 'request_id', request_id))::text AS f
    FROM audit_log WHERE ${WHERE} AND ($8::bigint IS NULL OR id < -$8::bigint)
   ORDER BY id DESC LIMIT $9`;

// The history of one record, oldest first, with the actor as people know them.
const ACTOR = `coalesce((SELECT coalesce(u.display_name, u.email) FROM users u WHERE u.id = a.user_id), a.actor)`;
const HISTORY_COLUMNS = `a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, ${ACTOR} AS actor,
         a.action, a.entity, a.entity_id, a.before, a.after`;
const HISTORY = `
  SELECT ${HISTORY_COLUMNS} FROM audit_log a WHERE a.entity = $1 AND a.entity_id = $2 ORDER BY a.at, a.id`;

// A need's own entries and its inbox comments (need_event entries name their need in `after`).
const NEED_HISTORY = `
  SELECT ${HISTORY_COLUMNS} FROM audit_log a
   WHERE (a.entity = 'need' AND a.entity_id = $1) OR (a.entity = 'need_event' AND a.after->>'need_id' = $1)
   ORDER BY a.at, a.id`;

// An allocation unit's reports are its history; each report's author comes from its audit entry
// (reports loaded by the demo seed or an import script have none).
const CAPACITY_HISTORY = `
  SELECT c.id, to_char(coalesce(a.at, c.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
         CASE WHEN a.id IS NULL THEN NULL ELSE ${ACTOR} END AS actor,
         (to_jsonb(c) - 'id' - 'region_id' - 'created_at') AS report
    FROM capacity_reports c JOIN regions v ON v.id = c.region_id
    LEFT JOIN audit_log a ON a.entity = 'capacity_report' AND a.entity_id = c.id::text AND a.action = 'create'
   WHERE v.level = 'verband' AND v.ars = $1
   ORDER BY c.id`;

// The region a record lies in, for the read scope: from the record, else (deleted) from the
// last snapshot the audit log holds of it.
const LAST_SNAPSHOT = `
  SELECT coalesce(after, before) AS snapshot FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 1`;
const OFFER_REGION = `SELECT r.ars FROM offers o LEFT JOIN regions r ON r.id = o.region_id WHERE o.id = $1::bigint`;
const NEED_REGION = `SELECT r.ars, n.reported_by_user_id FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.id = $1::bigint`;
const PLAN_REGION = `SELECT r.ars FROM allocation_plans p JOIN regions r ON r.id = p.kreis_id WHERE p.id = $1::bigint`;
const UNIT_EXISTS = `SELECT v.ars FROM regions v WHERE v.level = 'verband' AND v.ars = $1`;
// As in the provider directory: a coordinator sees a provider with an offer in their districts
// or a membership in one of their districts' networks.
const PROVIDER_VISIBLE = `
  SELECT ($2::text[] IS NULL
          OR EXISTS (SELECT 1 FROM offers o JOIN regions g ON g.id = o.region_id WHERE o.provider_id = p.id AND left(g.ars, 5) = ANY($2))
          OR EXISTS (SELECT 1 FROM network_members m JOIN networks n ON n.id = m.network_id JOIN regions r ON r.id = n.region_id
                      WHERE m.provider_id = p.id AND left(r.ars, 5) = ANY($2))) AS visible
    FROM providers p WHERE p.id = $1::bigint`;

/** Called inside the transaction of the write it records: both happen, or neither. */
export async function record(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(INSERT, [
    e.user_id, e.actor, e.action, e.entity, e.entity_id,
    e.before === undefined ? null : JSON.stringify(e.before),
    e.after === undefined ? null : JSON.stringify(e.after),
    e.request_id ?? null,
  ]);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const filterParams = (f: Omit<AuditFilter, 'limit' | 'offset'>) => [
  f.entity ?? null, f.entity_id ?? null, f.actor ? `%${escapeLike(f.actor)}%` : null, f.action ?? null,
  f.from ?? null, f.to ?? null, f.user_id ?? null,
];

export async function list(db: Queryable, f: AuditFilter): Promise<{ total: number; entries: StoredAuditEntry[] }> {
  const { rows } = await db.query<StoredAuditEntry & { total: number }>(LIST, [...filterParams(f), f.limit, f.offset]);
  return { total: rows[0]?.total ?? 0, entries: rows.map(({ total: _t, ...rest }) => rest) };
}

/** Pages for streamCsv: each row a feature-shaped object whose properties are the entry. */
export function page(db: Queryable, f: Omit<AuditFilter, 'limit' | 'offset'>) {
  const p = filterParams(f);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => joinedPage(db, PAGE, [...p, after, limit]);
}

export type HistoryRow = Pick<StoredAuditEntry, 'id' | 'at' | 'action' | 'entity' | 'entity_id' | 'before' | 'after'> & { actor: string | null };

export async function history(db: Queryable, entity: string, id: string): Promise<HistoryRow[]> {
  return (await db.query<HistoryRow>(HISTORY, [entity, id])).rows;
}

export async function needHistory(db: Queryable, id: string): Promise<HistoryRow[]> {
  return (await db.query<HistoryRow>(NEED_HISTORY, [id])).rows;
}

export async function capacityHistory(db: Queryable, ars: string): Promise<{ id: number; at: string; actor: string | null; report: Record<string, unknown> }[]> {
  return (await db.query<{ id: number; at: string; actor: string | null; report: Record<string, unknown> }>(CAPACITY_HISTORY, [ars])).rows;
}

export async function lastSnapshot(db: Queryable, entity: string, id: string): Promise<Record<string, unknown> | undefined> {
  return (await db.query<{ snapshot: Record<string, unknown> | null }>(LAST_SNAPSHOT, [entity, id])).rows[0]?.snapshot ?? undefined;
}

/** The ARS of the region the record lies in: undefined when there is no such record, null when it lies in none. */
export async function offerRegion(db: Queryable, id: string): Promise<string | null | undefined> {
  const row = (await db.query<{ ars: string | null }>(OFFER_REGION, [id])).rows[0];
  return row ? row.ars : undefined;
}

export async function needRegion(db: Queryable, id: string): Promise<{ ars: string; reported_by_user_id: number | null } | undefined> {
  return (await db.query<{ ars: string; reported_by_user_id: number | null }>(NEED_REGION, [id])).rows[0];
}

export async function planRegion(db: Queryable, id: string): Promise<string | undefined> {
  return (await db.query<{ ars: string }>(PLAN_REGION, [id])).rows[0]?.ars;
}

export async function unitExists(db: Queryable, ars: string): Promise<boolean> {
  return (await db.query(UNIT_EXISTS, [ars])).rows.length > 0;
}

/** undefined: no such provider; else whether a user with these districts (null: all) sees it. */
export async function providerVisible(db: Queryable, id: string, districts: readonly string[] | null): Promise<boolean | undefined> {
  const row = (await db.query<{ visible: boolean }>(PROVIDER_VISIBLE, [id, districts?.map((a) => a.slice(0, 5)) ?? null])).rows[0];
  return row?.visible;
}
