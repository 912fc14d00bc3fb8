// npm run retention -- [--audit-days 730] [--revoked-token-days 90] [--dry-run]
// Deletes what is past its retention period (see docs/operations.md). Run it from cron.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { runningPid } from '../server/src/pid-file.ts';
import { applyRetention } from '../server/src/services/retention.service.ts';

const { values } = parseArgs({ options: { 'audit-days': { type: 'string', default: '730' }, 'revoked-token-days': { type: 'string', default: '90' }, 'dry-run': { type: 'boolean', default: false } } });
const auditDays = Number(values['audit-days']);
const revokedTokenDays = Number(values['revoked-token-days']);
if (!Number.isInteger(auditDays) || auditDays < 30 || !Number.isInteger(revokedTokenDays) || revokedTokenDays < 0) {
  console.error('usage: npm run retention -- [--audit-days N ≥ 30] [--revoked-token-days N] [--dry-run]');
  process.exit(2);
}
const config = loadConfig();
if (!config.databaseUrl && (await runningPid(config.dataDir)) !== null) {
  console.error(`the app holds the embedded database in ${config.dataDir}; stop it first`);
  process.exit(1);
}
const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') });
try {
  await migrate(db, config.migrationsDir);
  const report = await applyRetention(db, { auditDays, revokedTokenDays, dryRun: values['dry-run'] }, 'retention routine');
  console.log(`${values['dry-run'] ? 'would delete' : 'deleted'}: ${Object.entries(report).map(([k, v]) => `${v} ${k.replace('_', ' ')}`).join(', ')}`);
} finally {
  await db.close();
}
