// npm run import:official -- --kreis 01053 --boundaries VG5000_GEM.shp --verbaende VG5000_VWG.shp
//   --population gemeindeverzeichnis.csv [--kreise VG5000_KRS.shp] [--remove-demo] [--dry-run]
// Reads and checks every input first, then opens the database like the app and writes in one
// transaction. Exit codes: 0 done, 1 failed (nothing written), 2 wrong arguments.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/src/config.ts';
import { openDatabase, type Database } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { acquirePidFile, releasePidFile } from '../server/src/pid-file.ts';
import { countByLevel } from '../server/src/repositories/regions.repository.ts';
import { ImportInputError } from '../server/src/import/errors.ts';
import { DemoPresentError, prepareImport, writeImport, type ImportOptions } from '../server/src/import/import-official.ts';
import { formatReport } from '../server/src/import/report.ts';

const USAGE = `Usage: npm run import:official -- (--kreis <5-digit key> | --land <2-digit key>)
         --boundaries <VG5000_GEM .shp or .zip> --verbaende <VG5000_VWG .shp or .zip>
         --population <Destatis Gemeindeverzeichnis .csv>
         [--kreise <VG5000_KRS .shp or .zip>] [--land-boundaries <VG5000_LAN .shp or .zip>] [--remove-demo] [--dry-run]
A .zip with several layers is read by layer name (VG5000_GEM for --boundaries ...), or name one as file.zip#NAME.
The database is the app's: DATABASE_URL, else the embedded one in DATA_DIR (stop the app server first).
Official data never mix with the fictional demo district: into a database that holds it the import
refuses, unless --remove-demo removes the demo (offers, providers, needs, plans, demo accounts) in
the same transaction. npm run demo:remove removes it on its own.`;

class UsageError extends Error {}
/** A failure with a message that says it all (no stack trace needed). */
class CliError extends Error {}

function parseCli(argv: string[]): ImportOptions & { dryRun: boolean; removeDemo: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kreis: { type: 'string' }, land: { type: 'string' }, boundaries: { type: 'string' }, verbaende: { type: 'string' },
        population: { type: 'string' }, kreise: { type: 'string' }, 'land-boundaries': { type: 'string' },
        'dry-run': { type: 'boolean' }, 'remove-demo': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
  if ((values.kreis === undefined) === (values.land === undefined)) throw new UsageError('give either --kreis or --land');
  if (values.kreis !== undefined && !/^\d{5}$/.test(values.kreis)) throw new UsageError(`--kreis must be a 5-digit key (e.g. 01053), got "${values.kreis}"`);
  if (values.land !== undefined && !/^\d{2}$/.test(values.land)) throw new UsageError(`--land must be a 2-digit key (e.g. 01), got "${values.land}"`);
  for (const required of ['boundaries', 'verbaende', 'population'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  return {
    scope: values.kreis !== undefined ? { level: 'kreis', key: values.kreis } : { level: 'land', key: values.land! },
    boundaries: values.boundaries!, verbaende: values.verbaende!, population: values.population!,
    kreise: values.kreise, landBoundaries: values['land-boundaries'], dryRun: values['dry-run'] === true,
    removeDemo: values['remove-demo'] === true,
  };
}

async function run(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const config = loadConfig();
  const started = performance.now();
  const prepared = await prepareImport(options);
  const embedded = config.databaseUrl === undefined;
  const pgliteDir = join(config.dataDir, 'pglite');
  if (embedded && options.dryRun && !existsSync(pgliteDir)) {
    throw new CliError(`no embedded database in ${config.dataDir} to compare with; a dry run creates none`);
  }
  if (embedded) await claimEmbedded(config.dataDir);
  try {
    // One statement upserts a whole Land: allow it more than the app's per-request timeout.
    const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir, poolMax: 2, statementTimeoutMs: Math.max(config.statementTimeoutMs, 600_000) });
    try {
      // A dry run writes nothing, not even pending migrations.
      if (options.dryRun) await assertMigrated(db);
      else await migrate(db, config.migrationsDir);
      const report = await writeImport(db, prepared, { dryRun: options.dryRun, removeDemo: options.removeDemo });
      console.log(formatReport(report));
      console.log(`Total time: ${((performance.now() - started) / 1000).toFixed(1)} s (${embedded ? 'embedded PGlite' : 'PostgreSQL'})`);
    } finally {
      await db.close();
    }
  } finally {
    if (embedded) await releasePidFile(config.dataDir);
  }
}

async function assertMigrated(db: Database): Promise<void> {
  try {
    await countByLevel(db);
  } catch (err) {
    throw new CliError(`the database has no regions table yet (${(err as Error).message}); run npm run db:migrate or start the app once`);
  }
}

// The app server holds DATA_DIR/server.pid while it runs; the import takes the same file, so
// neither can open the embedded database (one process only) while the other has it.
async function claimEmbedded(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  try {
    await acquirePidFile(dataDir);
  } catch (err) {
    throw new CliError(`${(err as Error).message} (is the app server running? stop it, import, then start it again)`);
  }
}

run().catch((err: unknown) => {
  if (err instanceof UsageError) {
    if (err.message) console.error(`error: ${err.message}\n`);
    console.error(USAGE);
    process.exit(err.message ? 2 : 0);
  }
  const known = err instanceof ImportInputError || err instanceof DemoPresentError || err instanceof CliError || err instanceof ConfigError;
  console.error(`import failed, nothing written: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
