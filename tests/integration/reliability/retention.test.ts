import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { applyRetention } from '../../../server/src/services/retention.service.ts';

for (const kind of BACKENDS) {
  describe(`audit log protection and retention on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await t.db.query(`INSERT INTO audit_log (at, actor, action, entity) VALUES
        (now() - interval '800 days', 'old', 'create', 'offer'), (now() - interval '10 days', 'recent', 'create', 'offer')`);
    });
    afterAll(() => t.dispose());

    it('refuses to change or delete audit entries outside the retention routine', async () => {
      await expect(t.db.query("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only/);
      await expect(t.db.query("DELETE FROM audit_log WHERE actor = 'recent'")).rejects.toThrow(/append-only/);
    });

    it('deletes only what is past its period, records that it did, and changes nothing on a dry run', async () => {
      const count = async () => (await t.db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE actor IN ('old', 'recent')")).rows[0]!.n;
      const dry = await applyRetention(t.db, { auditDays: 730, revokedTokenDays: 90, dryRun: true }, 'test');
      expect(dry.audit_entries).toBe(1);
      expect(await count()).toBe(2);
      const real = await applyRetention(t.db, { auditDays: 730, revokedTokenDays: 90, dryRun: false }, 'test');
      expect(real.audit_entries).toBe(1);
      expect(await count()).toBe(1);
      const { rows } = await t.db.query<{ after: { deleted: { audit_entries: number } } }>("SELECT after FROM audit_log WHERE entity = 'retention'");
      expect(rows).toHaveLength(1);
      expect(rows[0]!.after.deleted.audit_entries).toBe(1);
    });
  });
}
