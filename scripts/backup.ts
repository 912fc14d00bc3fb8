// npm run backup -- --out <file>: a consistent copy of the configured database.
//   embedded (DATA_DIR): a gzipped tarball of the PGlite directory (stop the app first);
//   PostgreSQL (DATABASE_URL): pg_dump in its custom format (-Fc), while the app runs.
// npm run restore -- --from <file> restores it (see scripts/restore.ts and docs/operations.md).
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../server/src/config.ts';
import { dumpPglite } from '../server/src/db/pglite-database.ts';
import { runningPid } from '../server/src/pid-file.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run backup -- --out <file>');
  process.exit(2);
}
const config = loadConfig();
if (config.databaseUrl) {
  const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${values.out}`, config.databaseUrl], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`pg_dump failed (exit ${r.status ?? r.error?.message}); is pg_dump installed (postgresql-client)?`);
    process.exit(1);
  }
} else {
  const pid = await runningPid(config.dataDir);
  if (pid !== null) {
    console.error(`the app (process ${pid}) holds the embedded database in ${config.dataDir}; stop it first`);
    process.exit(1);
  }
  await writeFile(values.out, await dumpPglite(join(config.dataDir, 'pglite')));
}
console.log(`backup written to ${values.out}`);
