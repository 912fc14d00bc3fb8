import type { PlanStatus, PlanSummary } from '@ilk/core';
import type { Queryable } from '../db/index.ts';

export type { PlanStatus, PlanSummary };

/** A plan's row: the summary the API shows, plus the stored JSON documents and the Kreis's id. */
export interface Plan extends PlanSummary {
  kreis_id: number;
  inputs: Record<string, unknown>;
  result: Record<string, unknown>;
  solver: Record<string, unknown> | null;
}

export interface PlanInsert {
  kreis_id: number;
  name: string;
  mode: 'aggregate' | 'households';
  period: number;
  inputs: unknown;
  result: unknown;
  solver: unknown;
  data_as_of: string | null;
  created_by: number;
}

// Accounts are shown by e-mail, as in the audit log; a deleted account leaves null.
const SUMMARY = `
  p.id, k.ars AS kreis, k.name AS kreis_name, p.name, p.mode, p.period, p.status,
  (p.result ->> 'n')::integer AS n, p.data_as_of, cu.email AS created_by, p.created_at,
  du.email AS decided_by, p.decided_at, p.justification, p.version`;
const FROM = `
  allocation_plans p JOIN regions k ON k.id = p.kreis_id
  LEFT JOIN users cu ON cu.id = p.created_by LEFT JOIN users du ON du.id = p.decided_by`;

const INSERT = `
  INSERT INTO allocation_plans (kreis_id, name, mode, period, inputs, result, solver, data_as_of, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`;

const GET = `SELECT ${SUMMARY}, p.kreis_id, p.inputs, p.result, p.solver FROM ${FROM} WHERE p.id = $1`;

const LIST = `
  SELECT ${SUMMARY}, count(*) OVER () AS total FROM ${FROM}
   WHERE ($1::text IS NULL OR k.ars = $1) AND ($2::text IS NULL OR p.status = $2)
   ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4`;

// Optimistic locking and finality in one statement: only the draft the client read changes.
const DECIDE = `
  UPDATE allocation_plans SET status = 'decided', decided_by = $3, decided_at = now(), justification = $4, version = version + 1
   WHERE id = $1 AND version = $2 AND status = 'draft' RETURNING id`;

const DELETE = `DELETE FROM allocation_plans WHERE id = $1 AND version = $2 AND status = 'draft' RETURNING id`;

const STATE = `SELECT status, version FROM allocation_plans WHERE id = $1`;

// Decisions of one Kreis are taken one at a time, so the check for a decision taken since a
// plan was computed cannot race with that decision (the lock ends with the transaction).
const LOCK_KREIS = `SELECT pg_advisory_xact_lock(7342005, $1::integer)`;

const DECIDED_SINCE = `
  SELECT id, name, decided_at FROM allocation_plans
   WHERE kreis_id = $1 AND period = $2 AND status = 'decided' AND decided_at > $3 AND id <> $4
   ORDER BY decided_at LIMIT 1`;

const INSERT_INTAKES = `
  INSERT INTO allocation_intakes (plan_id, unit_id, persons, period, decided_at)
  SELECT p.id, v.id, i.persons, p.period, p.decided_at
    FROM allocation_plans p
    CROSS JOIN json_to_recordset($2::json) AS i(key text, persons integer)
    JOIN regions v ON v.level = 'verband' AND v.ars = i.key
   WHERE p.id = $1 AND i.persons > 0`;

const INTAKES = `
  SELECT v.ars AS key, v.name, i.persons, i.period, i.decided_at
    FROM allocation_intakes i JOIN regions v ON v.id = i.unit_id
   WHERE i.plan_id = $1 ORDER BY v.ars`;

const UNIT_GEOMETRIES = `
  SELECT ars AS key, ST_AsGeoJSON(geom, 6)::json AS geometry
    FROM regions WHERE level = 'verband' AND ars = ANY($1::text[]) ORDER BY ars`;

export async function insert(db: Queryable, p: PlanInsert): Promise<number> {
  const { rows } = await db.query<{ id: number }>(INSERT, [
    p.kreis_id, p.name, p.mode, p.period, JSON.stringify(p.inputs), JSON.stringify(p.result),
    p.solver === undefined ? null : JSON.stringify(p.solver), p.data_as_of, p.created_by,
  ]);
  return rows[0]!.id;
}

export async function get(db: Queryable, id: number): Promise<Plan | undefined> {
  return (await db.query<Plan>(GET, [id])).rows[0];
}

export async function list(db: Queryable, f: { kreis: string | null; status: PlanStatus | null; limit: number; offset: number }) {
  const { rows } = await db.query<PlanSummary & { total: number }>(LIST, [f.kreis, f.status, f.limit, f.offset]);
  return { total: rows[0]?.total ?? 0, plans: rows.map(({ total: _t, ...plan }) => plan) };
}

/** Returns false when the plan is gone, decided, or at another version: nothing was written. */
export async function decide(db: Queryable, id: number, version: number, userId: number, justification: string): Promise<boolean> {
  return (await db.query(DECIDE, [id, version, userId, justification])).rowCount === 1;
}

export async function remove(db: Queryable, id: number, version: number): Promise<boolean> {
  return (await db.query(DELETE, [id, version])).rowCount === 1;
}

export async function state(db: Queryable, id: number): Promise<{ status: PlanStatus; version: number } | undefined> {
  return (await db.query<{ status: PlanStatus; version: number }>(STATE, [id])).rows[0];
}

export async function lockKreis(db: Queryable, kreisId: number): Promise<void> {
  await db.query(LOCK_KREIS, [kreisId]);
}

export async function decidedSince(db: Queryable, kreisId: number, period: number, since: string, exceptId: number) {
  return (await db.query<{ id: number; name: string; decided_at: string }>(DECIDED_SINCE, [kreisId, period, since, exceptId])).rows[0];
}

/** Records the decided intake per unit (units with persons only), dated with the decision. */
export async function insertIntakes(db: Queryable, planId: number, intakes: readonly { key: string; persons: number }[]): Promise<number> {
  return (await db.query(INSERT_INTAKES, [planId, JSON.stringify(intakes)])).rowCount;
}

export async function intakes(db: Queryable, planId: number) {
  return (await db.query<{ key: string; name: string; persons: number; period: number; decided_at: string }>(INTAKES, [planId])).rows;
}

export async function unitGeometries(db: Queryable, keys: readonly string[]) {
  return (await db.query<{ key: string; geometry: unknown }>(UNIT_GEOMETRIES, [keys])).rows;
}
