import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { MIGRATIONS_DIR } from '../../helpers/paths.ts';
import { migrate } from '../../../server/src/db/migrate.ts';

for (const kind of BACKENDS) {
  describe(`migrations on ${kind}`, () => {
    let t: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      dir = await mkdtemp(join(tmpdir(), 'ilk-mig-'));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
    });
    afterAll(async () => {
      await t.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    it('has applied every file once, in order, and a second run applies nothing', async () => {
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
      const status = await migrate(t.db, MIGRATIONS_DIR);
      expect(status.newlyApplied).toEqual([]);
      expect(status.applied).toEqual(files);
    });

    it('applies a new file inside a transaction: a failing one leaves nothing behind', async () => {
      await writeFile(join(dir, '900_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
      await expect(migrate(t.db, dir)).rejects.toThrow(/no_such_function/);
      const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'");
      expect(rows[0]!.n).toBe(0);
      const { rows: applied } = await t.db.query("SELECT 1 FROM schema_migrations WHERE name = '900_broken.sql'");
      expect(applied).toHaveLength(0);
      await rm(join(dir, '900_broken.sql'));
    });

    it('refuses an applied migration whose content changed', async () => {
      await appendFile(join(dir, '001_regions.sql'), '\n-- edited after release\n');
      await expect(migrate(t.db, dir)).rejects.toThrow(/001_regions\.sql was changed after it was applied/);
    });
  });
}
