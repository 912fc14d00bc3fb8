import { mkdir } from 'node:fs/promises';
import { acquirePidFile, releasePidFile } from './pid-file.ts';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import * as meta from './repositories/meta.repository.ts';
import { seedDemoIfEmpty } from './seed/demo.ts';
import { ensureInitialAccounts } from './seed/accounts.ts';
import { memoryReport } from './memory-report.ts';

// config -> database -> migrations -> seed -> app -> listen; on SIGINT/SIGTERM the HTTP server
// closes first (in-flight requests finish, new ones get 503), then the database.
async function main(): Promise<void> {
  const config = loadConfig();
  await mkdir(config.dataDir, { recursive: true });
  // PGlite must never be opened by two processes: the pid file makes a second server and the
  // import command refuse while this one runs.
  if (!config.databaseUrl) await acquirePidFile(config.dataDir);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
    poolMax: config.poolMax,
    statementTimeoutMs: config.statementTimeoutMs,
    connectionTimeoutMs: config.connectionTimeoutMs,
  });
  const app = await buildApp({ db, config, logger: { level: config.logLevel } });
  try {
    const status = await migrate(db, config.migrationsDir);
    const { postgis } = await meta.health(db);
    app.log.info({ database: db.kind, postgis, migrations: status.applied.length, newly_applied: status.newlyApplied },
      `database: ${db.kind === 'embedded' ? `embedded PGlite in ${join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}, PostGIS ${postgis}`);
    if (config.seedDemo && (await seedDemoIfEmpty(db, config.demoDataDir))) {
      app.log.info('seeded the fictional demo district (Demodaten)');
    }
    await ensureInitialAccounts(db, config, app.log);
  } catch (err) {
    app.log.error({ err }, 'start-up failed');
    await db.close();
    await releasePidFile(config.dataDir);
    process.exit(1);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: closing HTTP server, then the database');
    try {
      await app.close();
      await db.close();
      await releasePidFile(config.dataDir);
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Asked for explicitly, so logged whatever LOG_LEVEL says.
  const memoryLog = app.log.child({}, { level: 'info' });
  process.on('SIGUSR2', () => void memoryReport(db).then((memory) => memoryLog.info({ memory }, 'memory report (MiB)'), (err: unknown) => memoryLog.error({ err }, 'memory report failed')));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
