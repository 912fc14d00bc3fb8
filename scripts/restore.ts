// npm run restore -- --from <file>: restores a backup made by npm run backup.
//   embedded: into DATA_DIR, which must not hold a database yet (move the old one aside);
//   PostgreSQL: pg_restore into DATABASE_URL, which should be an empty database.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../server/src/config.ts';
import { restorePglite } from '../server/src/db/pglite-database.ts';

const { values } = parseArgs({ options: { from: { type: 'string' } } });
if (!values.from || !existsSync(values.from)) {
  console.error(`usage: npm run restore -- --from <backup file>${values.from ? ` (${values.from} does not exist)` : ''}`);
  process.exit(2);
}
const config = loadConfig();
if (config.databaseUrl) {
  const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${config.databaseUrl}`, values.from], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`pg_restore failed (exit ${r.status ?? r.error?.message})`);
    process.exit(1);
  }
} else {
  const dir = join(config.dataDir, 'pglite');
  if (existsSync(dir)) {
    console.error(`${dir} exists already; move it aside before restoring into it`);
    process.exit(1);
  }
  await mkdir(config.dataDir, { recursive: true });
  await restorePglite(dir, new Uint8Array(await readFile(values.from)));
}
console.log(`restored ${values.from}`);
