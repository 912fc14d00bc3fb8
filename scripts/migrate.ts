// npm run db:migrate: applies pending migrations to the configured database (DATABASE_URL or
// the embedded one under DATA_DIR) without starting the server.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { runningPid } from '../server/src/pid-file.ts';

const config = loadConfig();
if (!config.databaseUrl) {
  await mkdir(config.dataDir, { recursive: true });
  const pid = await runningPid(config.dataDir);
  if (pid !== null) {
    console.error(`the app (process ${pid}) holds the embedded database in ${config.dataDir}; stop it first`);
    process.exit(1);
  }
}
const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') });
try {
  const status = await migrate(db, config.migrationsDir);
  console.log(`${db.kind}: ${status.applied.length} migrations applied${status.newlyApplied.length ? `, new: ${status.newlyApplied.join(', ')}` : ', none new'}`);
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
