import type { Queryable } from '../db/index.ts';

// Each statement deletes what is past its retention period and returns how many rows went.
const AUDIT = `DELETE FROM audit_log WHERE at < now() - make_interval(days => $1)`;
const SESSIONS = `DELETE FROM sessions WHERE expires_at < now()`;
const LOGIN_FAILURES = `DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'`;
const REVOKED_TOKENS = `DELETE FROM api_tokens WHERE revoked_at < now() - make_interval(days => $1)`;

/** Lets the audit_log trigger allow deletion for the rest of this transaction. */
export async function allowAuditDeletion(db: Queryable): Promise<void> {
  await db.query("SELECT set_config('ilk.retention', 'on', true)");
}

export async function deleteAuditOlderThan(db: Queryable, days: number): Promise<number> {
  return (await db.query(AUDIT, [days])).rowCount;
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  return (await db.query(SESSIONS)).rowCount;
}

export async function deleteOldLoginFailures(db: Queryable): Promise<number> {
  return (await db.query(LOGIN_FAILURES)).rowCount;
}

export async function deleteRevokedTokensOlderThan(db: Queryable, days: number): Promise<number> {
  return (await db.query(REVOKED_TOKENS, [days])).rowCount;
}
