// Issue 2: cold and warm start of the embedded mode; one region-layer query, PGlite vs PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../tests/helpers/server-process.ts';
import { regionPage } from '../../server/src/repositories/region-layer.repository.ts';
import { embeddedDb, median, ms, postgresDb, ratio, row } from './harness.ts';

async function startTime(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 180_000);
  const elapsed = performance.now() - t0;
  await server.stop();
  return elapsed;
}

export async function benchFoundation(): Promise<void> {
  console.log('\nStart-up of the embedded mode (process start to first healthy response)');
  const dir = await mkdtemp(join(tmpdir(), 'ilk-bench-start-'));
  try {
    const cold = await startTime(dir);
    const warm = await startTime(dir);
    row('cold start (create database, migrate, seed demo)', ms(cold));
    row('warm start (reuse data)', ms(warm));
    row('warm / cold', ratio(warm / cold));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  console.log('\nRegion layer (all Gemeinden with indicators, one query), PGlite vs PostgreSQL');
  const emb = await embeddedDb();
  const pgdb = await postgresDb();
  try {
    const query = (db: typeof emb.db) => () => regionPage(db, 'gemeinde', null)(null, 100_000);
    const tEmb = await median(15, query(emb.db));
    row('PGlite', ms(tEmb));
    if (!pgdb) {
      row('PostgreSQL', 'skipped', 'no server at BENCH_DATABASE_URL');
      return;
    }
    const tPg = await median(15, query(pgdb.db));
    row('PostgreSQL', ms(tPg));
    row('PGlite / PostgreSQL', ratio(tEmb / tPg));
  } finally {
    await emb.dispose();
    await pgdb?.dispose();
  }
}
