import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPgliteDatabase } from '../../server/src/db/pglite-database.ts';
import { openDatabase } from '../../server/src/db/index.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../server/src/seed/demo.ts';
import { ensureInitialAccounts } from '../../server/src/seed/accounts.ts';
import { loadConfig } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/index.ts';
import { MIGRATIONS_DIR, DEMO_DIR, adminUrl, databaseUrl } from './paths.ts';
import { ensureClientBuilt } from './client-build.ts';
import pg from 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string | null;
  }
}

const silent = { info() {}, warn() {}, error() {} } as never;

/** The demo district and one account per role (password "demo"), as a first start makes them. */
async function seed(db: Database): Promise<void> {
  await seedDemoIfEmpty(db, DEMO_DIR);
  await ensureInitialAccounts(db, loadConfig({ NODE_ENV: 'test' }), silent);
}

// Creating an embedded database costs 8-9 s (initdb and PostGIS unpacked), opening a copy
// about 1.5 s: so one migrated, seeded template per run, and each test file opens a copy.
async function buildPgliteTemplate(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ilk-template-'));
  const db = await createPgliteDatabase(join(dir, 'pglite'));
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  await migrate(db, MIGRATIONS_DIR);
  await seed(db);
  await db.close();
  return dir;
}

// On PostgreSQL the same idea with CREATE DATABASE ... TEMPLATE.
async function buildPgTemplate(url: string): Promise<string> {
  const name = `ilk_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: databaseUrl(url, name), pgliteDir: '' });
  await migrate(db, MIGRATIONS_DIR);
  await seed(db);
  await db.close();
  return name;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Once, before the files run in parallel (each end-to-end file checks again, for runs of one).
  ensureClientBuilt();
  const pgliteDir = await buildPgliteTemplate();
  project.provide('pgliteTemplate', pgliteDir);
  const url = process.env.TEST_DATABASE_URL;
  const pgTemplate = url ? await buildPgTemplate(url) : null;
  project.provide('pgTemplate', pgTemplate);
  return async () => {
    await rm(pgliteDir, { recursive: true, force: true });
    if (url && pgTemplate) {
      const admin = new pg.Client({ connectionString: adminUrl(url) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pgTemplate}`);
      await admin.end();
    }
  };
}
