import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });
}
