import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './types.ts';

export interface MigrationStatus {
  applied: string[];
  newlyApplied: string[];
}

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_KEY = 7342001;

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

export async function listMigrationFiles(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f));
  return files.sort();
}

/**
 * Applies every migration not applied yet, in file-name order, each once and inside its own
 * transaction. A transaction-scoped advisory lock keeps two instances starting at once from
 * applying the same file twice. An applied file whose content changed is refused.
 */
export async function migrate(db: Database, dir: string): Promise<MigrationStatus> {
  await db.exec(CREATE_TABLE);
  const files = await listMigrationFiles(dir);
  const newlyApplied: string[] = [];
  for (const name of files) {
    const sql = await readFile(join(dir, name), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const applied = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE name = $1', [name]);
      if (rows[0]) {
        if (rows[0].checksum !== checksum) {
          throw new Error(`migration ${name} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [name, checksum]);
      return true;
    });
    if (applied) newlyApplied.push(name);
  }
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return { applied: rows.map((r) => r.name), newlyApplied };
}
