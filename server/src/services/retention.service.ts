import type { Database } from '../db/index.ts';
import * as retention from '../repositories/retention.repository.ts';
import * as audit from '../repositories/audit.repository.ts';

export interface RetentionPolicy {
  /** Audit entries older than this are deleted (default two years). */
  auditDays: number;
  /** Revoked API tokens are forgotten after this many days. */
  revokedTokenDays: number;
  dryRun: boolean;
}

export type RetentionReport = Record<'audit_entries' | 'sessions' | 'login_failures' | 'revoked_tokens', number>;

/**
 * The documented retention and deletion routine (docs/operations.md): one transaction, which
 * records what it deleted as the first entry of the remaining audit log. A dry run rolls back.
 */
export async function applyRetention(db: Database, policy: RetentionPolicy, actor: string): Promise<RetentionReport> {
  let report: RetentionReport | undefined;
  const dryRun = new Error('dry run');
  try {
    await db.transaction(async (tx) => {
      await retention.allowAuditDeletion(tx);
      report = {
        audit_entries: await retention.deleteAuditOlderThan(tx, policy.auditDays),
        sessions: await retention.deleteExpiredSessions(tx),
        login_failures: await retention.deleteOldLoginFailures(tx),
        revoked_tokens: await retention.deleteRevokedTokensOlderThan(tx, policy.revokedTokenDays),
      };
      await audit.record(tx, { user_id: null, actor, action: 'delete', entity: 'retention', entity_id: null, after: { policy, deleted: report } });
      if (policy.dryRun) throw dryRun;
    });
  } catch (err) {
    if (err !== dryRun) throw err;
  }
  return report!;
}
