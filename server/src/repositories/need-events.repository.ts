import type { NeedEvent, NeedHistory, PartnerNeed } from '@ilk/core/schemas/need-events';
import type { Queryable } from '../db/index.ts';

// Partner reports and the inbox history of a need. Assignments are the office's internal
// routing: a partner's view of the history leaves them out ($2 = true).

// An account as people know it: its display name, else its e-mail.
const ACCOUNT_NAME = (id: string) => `(SELECT coalesce(a.display_name, a.email) FROM users a WHERE a.id = ${id})`;
// An assignment stores the account ids as text (from_value, to_value); compared as text, so the
// other kinds' values (statuses) are never cast.
const ASSIGNED_NAME = (value: string) => `(SELECT coalesce(a.display_name, a.email) FROM users a WHERE e.kind = 'assign' AND a.id::text = ${value})`;

const EVENT = `json_build_object('id', e.id, 'need_id', e.need_id, 'at', e.at, 'kind', e.kind, 'from_value', e.from_value,
    'to_value', e.to_value, 'from_name', ${ASSIGNED_NAME('e.from_value')}, 'to_name', ${ASSIGNED_NAME('e.to_value')},
    'text', e.text, 'user_id', e.user_id, 'actor', coalesce(u.display_name, u.email))`;

const HISTORY = `coalesce((SELECT json_agg(${EVENT} ORDER BY e.at, e.id) FROM need_events e LEFT JOIN users u ON u.id = e.user_id
                            WHERE e.need_id = n.id AND NOT ($2::boolean AND e.kind = 'assign')), '[]')`;

const PARTNER_NEED = `json_build_object('id', n.id, 'kind', n.kind, 'region_key', r.ars, 'region_level', r.level,
    'region_name', r.name, 'category', n.category_key, 'title', n.title, 'description', n.description,
    'priority', n.priority, 'status', n.status, 'reported_by', n.reported_by, 'created_at', n.created_at,
    'updated_at', n.updated_at, 'history', ${HISTORY})`;

const PARTNER_LIST = `
  SELECT ${PARTNER_NEED} AS need FROM needs n JOIN regions r ON r.id = n.region_id
   WHERE n.reported_by_user_id = $1 ORDER BY n.created_at DESC, n.id DESC`;

const PARTNER_GET = `SELECT ${PARTNER_NEED} AS need FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.id = $1`;

const PARTNER_INSERT = `
  INSERT INTO needs (region_id, category_key, kind, title, description, priority, status, reported_by, reported_by_user_id)
  SELECT r.id, $3, $4, $5, $6, $7, 'neu', $8, $9 FROM regions r WHERE r.level = $1 AND r.ars = $2
  RETURNING id`;

const STATE = `
  SELECT n.id, r.ars AS region_key, n.status, n.assigned_to, n.version, n.reported_by_user_id
    FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.id = $1`;

const HISTORY_OF = `
  SELECT n.id AS need_id, n.status, CASE WHEN $2::boolean THEN NULL ELSE n.assigned_to END AS assigned_to,
         CASE WHEN $2::boolean THEN NULL ELSE ${ACCOUNT_NAME('n.assigned_to')} END AS assignee, n.version,
         ${HISTORY} AS events
    FROM needs n WHERE n.id = $1`;

// Optimistic locking as for every edit: zero rows when someone else changed the need meanwhile.
const SET_STATUS = `UPDATE needs SET status = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version`;
const SET_ASSIGNEE = `UPDATE needs SET assigned_to = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version`;

const INSERT_EVENT = `
  WITH e AS (INSERT INTO need_events (need_id, user_id, kind, from_value, to_value, text) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
  SELECT ${EVENT} AS event FROM e LEFT JOIN users u ON u.id = e.user_id`;

// Who may be assigned: an active account that edits needs.
const ASSIGNABLE = `
  SELECT u.id, u.role, coalesce((SELECT array_agg(r.ars) FROM user_districts d JOIN regions r ON r.id = d.region_id WHERE d.user_id = u.id), '{}') AS districts
    FROM users u WHERE u.id = $1 AND u.active AND u.role IN ('admin', 'coordinator')`;

export interface PartnerNeedWrite {
  region_level: string;
  region_ars: string;
  category: string | null;
  kind: string;
  title: string;
  description: string | null;
  priority: string;
  reported_by: string;
  reported_by_user_id: number;
}

export interface NeedState {
  id: number;
  region_key: string;
  status: string;
  assigned_to: number | null;
  version: number;
  reported_by_user_id: number | null;
}

export type EventKind = NeedEvent['kind'];

/** Undefined when the region does not exist. */
export async function insertPartnerNeed(db: Queryable, w: PartnerNeedWrite): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(PARTNER_INSERT, [
    w.region_level, w.region_ars, w.category, w.kind, w.title, w.description, w.priority, w.reported_by, w.reported_by_user_id,
  ]);
  return rows[0]?.id;
}

export async function partnerNeeds(db: Queryable, userId: number): Promise<PartnerNeed[]> {
  return (await db.query<{ need: PartnerNeed }>(PARTNER_LIST, [userId, true])).rows.map((r) => r.need);
}

export async function partnerNeed(db: Queryable, id: number): Promise<PartnerNeed | undefined> {
  return (await db.query<{ need: PartnerNeed }>(PARTNER_GET, [id, true])).rows[0]?.need;
}

export async function state(db: Queryable, id: number): Promise<NeedState | undefined> {
  return (await db.query<NeedState>(STATE, [id])).rows[0];
}

/** The need's history; `forPartner` leaves out assignments and the assignee. */
export async function history(db: Queryable, id: number, forPartner: boolean): Promise<NeedHistory | undefined> {
  return (await db.query<NeedHistory>(HISTORY_OF, [id, forPartner])).rows[0];
}

/** The new version, or undefined when `version` is stale. */
export async function setStatus(db: Queryable, id: number, version: number, status: string): Promise<number | undefined> {
  return (await db.query<{ version: number }>(SET_STATUS, [id, version, status])).rows[0]?.version;
}

export async function setAssignee(db: Queryable, id: number, version: number, userId: number | null): Promise<number | undefined> {
  return (await db.query<{ version: number }>(SET_ASSIGNEE, [id, version, userId])).rows[0]?.version;
}

export async function insertEvent(
  db: Queryable,
  e: { need_id: number; user_id: number; kind: EventKind; from_value: string | null; to_value: string | null; text: string | null },
): Promise<NeedEvent> {
  const { rows } = await db.query<{ event: NeedEvent }>(INSERT_EVENT, [e.need_id, e.user_id, e.kind, e.from_value, e.to_value, e.text]);
  return rows[0]!.event;
}

export async function assignable(db: Queryable, userId: number): Promise<{ id: number; role: string; districts: string[] } | undefined> {
  return (await db.query<{ id: number; role: string; districts: string[] }>(ASSIGNABLE, [userId])).rows[0];
}
