import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared } from '../../../server/src/db/index.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

// Named statements take a different path than plain ones on both backends (pg's named
// statements; on the embedded one the worker speaks the extended protocol itself). Both paths
// must give the same rows, the same errors, and leave the connection usable.
const TYPES = `
  SELECT $1::int AS i, $2::bigint AS big, $3::numeric AS num, $4::date AS d, $5::text[] AS langs,
         $6::jsonb AS j, $7::text AS nothing, $8::boolean AS yes, $9::timestamptz AS ts, count(p.id) AS n
    FROM prep_probe p WHERE p.v > $1`;
const ARGS = [1, 12, 1.5, '2025-12-31', ['de', 'ar'], { a: [1, 'x'] }, null, true, '2026-01-02T03:04:05.000Z'];

for (const kind of BACKENDS) {
  describe(`prepared statements on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await t.db.exec('CREATE TABLE prep_probe (id int PRIMARY KEY, v int NOT NULL); INSERT INTO prep_probe VALUES (1, 1), (2, 5), (3, 9)');
    });
    afterAll(() => t.dispose());

    it('return the same rows as the same statement unprepared, on first and later use', async () => {
      const plain = (await t.db.query(TYPES, ARGS)).rows;
      expect(plain).toEqual([{ i: 1, big: 12, num: 1.5, d: '2025-12-31', langs: ['de', 'ar'], j: { a: [1, 'x'] }, nothing: null, yes: true, ts: new Date('2026-01-02T03:04:05Z'), n: 2 }]);
      const stmt = prepared('prep_probe_types', TYPES);
      for (let i = 0; i < 8; i++) expect((await t.db.query(stmt, ARGS)).rows).toEqual(plain);
    });

    it('bind new parameters each time and report affected rows', async () => {
      const byId = prepared('prep_probe_by_id', 'SELECT id, v FROM prep_probe WHERE id = ANY($1::int[]) ORDER BY id');
      expect((await t.db.query(byId, [[3, 1]])).rows).toEqual([{ id: 1, v: 1 }, { id: 3, v: 9 }]);
      expect((await t.db.query(byId, [[2]])).rows).toEqual([{ id: 2, v: 5 }]);
      expect((await t.db.query(byId, [[]])).rows).toEqual([]);
      const bump = prepared('prep_probe_bump', 'UPDATE prep_probe SET v = v + 1 WHERE v > $1');
      expect((await t.db.query(bump, [4])).rowCount).toBe(2);
      expect((await t.db.query(bump, [100])).rowCount).toBe(0);
      await t.db.query('UPDATE prep_probe SET v = v - 1 WHERE v > 5');
    });

    it("report PostgreSQL's errors and leave the connection usable", async () => {
      const insert = prepared('prep_probe_insert', 'INSERT INTO prep_probe VALUES ($1, $2)');
      await expect(t.db.query(insert, [1, 0])).rejects.toMatchObject({ code: '23505', constraint: 'prep_probe_pkey' });
      await expect(t.db.query(insert, ['not a number', 0])).rejects.toMatchObject({ code: '22P02' });
      await t.db.query(insert, [4, 4]);
      // A statement that does not parse is not remembered: it fails again, the same way.
      const broken = prepared('prep_probe_broken', 'SELEC 1');
      for (let i = 0; i < 2; i++) await expect(t.db.query(broken)).rejects.toMatchObject({ code: '42601' });
      expect((await t.db.query<{ n: number }>('SELECT count(*) AS n FROM prep_probe')).rows[0]!.n).toBe(4);
    });

    it('run inside transactions, which still commit or roll back as a whole', async () => {
      const insert = prepared('prep_probe_insert', 'INSERT INTO prep_probe VALUES ($1, $2)');
      await expect(t.db.transaction(async (tx) => {
        await tx.query(insert, [10, 10]);
        await tx.query(insert, [10, 11]); // duplicate key
      })).rejects.toMatchObject({ code: '23505' });
      await t.db.transaction(async (tx) => {
        await tx.query(insert, [11, 11]);
        await tx.query(insert, [12, 12]);
      });
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM prep_probe WHERE id >= 10 ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual([11, 12]);
    });
  });
}
