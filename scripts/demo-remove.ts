// npm run demo:remove
// Removes the fictional demo district "Kreis Demo-Förde" and everything hanging on it (regions,
// offers, its providers, needs, capacity reports, plans, networks, the demo accounts, the demo
// data source and dataset facts) in one transaction, and nothing else. Opens the database like
// the app. Running it again removes nothing. Exit codes: 0 done, 1 failed (nothing removed),
// 2 wrong arguments.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { acquirePidFile, releasePidFile } from '../server/src/pid-file.ts';
import { formatDemoRemoval } from '../server/src/import/report.ts';
import { removeDemo } from '../server/src/services/demo.service.ts';

const USAGE = `Usage: npm run demo:remove
Removes the fictional demo district (Kreis Demo-Förde, ARS 010990000000) with its offers, providers,
needs, capacity reports, allocation plans, networks and the demo accounts (*@demo.local), in one
transaction. Official data and other accounts stay. The demo is never seeded again afterwards.
The database is the app's: DATABASE_URL, else the embedded one in DATA_DIR (stop the app server first).`;

const ACTOR = 'npm run demo:remove';

class UsageError extends Error {}
class CliError extends Error {}

function parseCli(argv: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
}

async function run(): Promise<void> {
  parseCli(process.argv.slice(2));
  const config = loadConfig();
  const embedded = config.databaseUrl === undefined;
  const pgliteDir = join(config.dataDir, 'pglite');
  if (embedded && !existsSync(pgliteDir)) {
    console.log(`No embedded database in ${config.dataDir}: nothing to remove`);
    return;
  }
  if (embedded) {
    try {
      await acquirePidFile(config.dataDir);
    } catch (err) {
      throw new CliError(`${(err as Error).message} (is the app server running? stop it, remove the demo, then start it again)`);
    }
  }
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir, poolMax: 2, statementTimeoutMs: Math.max(config.statementTimeoutMs, 600_000) });
    try {
      // Migration 008 lets the protected tables give up the demo accounts' user ids.
      await migrate(db, config.migrationsDir);
      const removal = await removeDemo(db, ACTOR);
      console.log(formatDemoRemoval(removal).join('\n'));
    } finally {
      await db.close();
    }
  } finally {
    if (embedded) await releasePidFile(config.dataDir);
  }
}

run().catch((err: unknown) => {
  if (err instanceof UsageError) {
    if (err.message) console.error(`error: ${err.message}\n`);
    console.error(USAGE);
    process.exit(err.message ? 2 : 0);
  }
  const known = err instanceof CliError || err instanceof ConfigError;
  console.error(`demo removal failed, nothing removed: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
