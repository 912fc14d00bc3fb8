import { createPgDatabase } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';
import type { Database } from './types.ts';

export type { Database, Queryable, QueryResult, BackendKind, NamedStatement } from './types.ts';
export { DatabaseUnavailableError, prepared } from './types.ts';

export interface DatabaseConfig {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; ignored when databaseUrl is set. */
  pgliteDir: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/** DATABASE_URL selects a real PostgreSQL + PostGIS; otherwise the embedded PGlite + PostGIS. */
export async function openDatabase(cfg: DatabaseConfig): Promise<Database> {
  const db = cfg.databaseUrl
    ? createPgDatabase({ connectionString: cfg.databaseUrl, max: cfg.poolMax, statementTimeoutMs: cfg.statementTimeoutMs, connectionTimeoutMs: cfg.connectionTimeoutMs })
    : await createPgliteDatabase(cfg.pgliteDir);
  // Before the migrations: they use PostGIS types, and on PostgreSQL the extension is per database.
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return db;
}
