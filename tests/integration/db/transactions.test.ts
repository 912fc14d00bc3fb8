import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../../server/src/db/index.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

for (const kind of BACKENDS) {
  describe(`database interface on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await t.db.exec('CREATE TABLE tx_probe (id int PRIMARY KEY, v int NOT NULL)');
    });
    afterAll(() => t.dispose());

    it('names its backend', () => {
      expect(t.db.kind).toBe(kind);
    });

    it('commits a transaction as a whole', async () => {
      await t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [1, 10]);
        await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [2, 20]);
      });
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM tx_probe');
      expect(rows[0]!.n).toBe(2);
    });

    it('rolls a failing transaction back completely', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [3, 30]);
          await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [1, 99]); // duplicate key
        }),
      ).rejects.toThrow();
      const { rows } = await t.db.query<{ id: number; v: number }>('SELECT id, v FROM tx_probe ORDER BY id');
      expect(rows).toEqual([{ id: 1, v: 10 }, { id: 2, v: 20 }]);
    });

    it('keeps concurrent transactions from seeing each other half-done', async () => {
      // Twenty read-modify-write transactions at once; with the lock each sees the last commit.
      await Promise.all(
        Array.from({ length: 20 }, () =>
          t.db.transaction(async (tx) => {
            const { rows } = await tx.query<{ v: number }>('SELECT v FROM tx_probe WHERE id = 2 FOR UPDATE');
            await tx.query('UPDATE tx_probe SET v = $1 WHERE id = 2', [rows[0]!.v + 1]);
          }),
        ),
      );
      const { rows } = await t.db.query<{ v: number }>('SELECT v FROM tx_probe WHERE id = 2');
      expect(rows[0]!.v).toBe(40);
    });

    it('returns one vocabulary of types on both backends', async () => {
      const { rows } = await t.db.query<Record<string, unknown>>(
        "SELECT count(*) AS n, 12::bigint AS big, 1.5::numeric AS num, DATE '2025-12-31' AS d, '{de,ar}'::text[] AS langs, '{\"a\":1}'::jsonb AS j",
      );
      expect(rows[0]).toEqual({ n: 1, big: 12, num: 1.5, d: '2025-12-31', langs: ['de', 'ar'], j: { a: 1 } });
    });

    // The error handler maps PostgreSQL's SQLSTATE to 409/400; on the embedded backend the error
    // crosses from PGlite's worker thread and must keep those fields.
    it("reports PostgreSQL's error fields (code, constraint, detail)", async () => {
      const err = await t.db.query('INSERT INTO tx_probe VALUES ($1, $2)', [1, 0]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ code: '23505', constraint: 'tx_probe_pkey', detail: expect.stringContaining('(id)=(1)') });
      // The connection is still usable afterwards.
      expect((await t.db.query<{ n: number }>('SELECT count(*) AS n FROM tx_probe')).rows[0]!.n).toBe(2);
    });
  });
}

describe('embedded database after close', () => {
  it('refuses statements as unavailable (503), not with a hang', async () => {
    const t = await openTestDatabase('embedded');
    await t.db.close();
    await expect(t.db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await t.dispose();
  });
});
