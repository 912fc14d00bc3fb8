import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database, type BackendKind } from '../../server/src/db/index.ts';
import { adminUrl, databaseUrl } from './paths.ts';

export interface TestDatabase {
  db: Database;
  /** For a postgres backend, the URL of this test's own database (for child processes). */
  url: string | null;
  /** For the embedded backend, the DATA_DIR holding this test's copy. */
  dataDir: string | null;
  dispose(): Promise<void>;
}

/** The backends this run covers: always embedded, and PostgreSQL when TEST_DATABASE_URL is set. */
export const BACKENDS: BackendKind[] = process.env.TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];

/** A private copy of the migrated, seeded template database on the given backend. */
export async function openTestDatabase(kind: BackendKind): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const dataDir = await mkdtemp(join(tmpdir(), 'ilk-test-'));
    await cp(join(inject('pgliteTemplate'), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
    const db = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
    return { db, url: null, dataDir, dispose: async () => { await db.close(); await rm(dataDir, { recursive: true, force: true }); } };
  }
  const base = process.env.TEST_DATABASE_URL;
  const template = inject('pgTemplate');
  if (!base || !template) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ilk_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = databaseUrl(base, name);
  const db = await openDatabase({ databaseUrl: url, pgliteDir: '' });
  return {
    db,
    url,
    dataDir: null,
    dispose: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl(base) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
