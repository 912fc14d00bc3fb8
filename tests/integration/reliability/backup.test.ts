import { describe, expect, it, onTestFinished } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BACKENDS, openTestDatabase } from '../../helpers/test-db.ts';
import { httpLogin, startServer } from '../../helpers/server-process.ts';
import { ROOT, adminUrl, databaseUrl } from '../../helpers/paths.ts';

const LAYERS = ['/api/regions?level=verband', '/api/regions?level=gemeinde', '/api/offers', '/api/needs', '/api/regions/010990019000/capacity'];

/** The layers' bytes as the API serves them (uncompressed, so bytes compare directly). */
async function layers(env: Record<string, string>): Promise<string[]> {
  const server = await startServer(env);
  try {
    const headers = { ...(await httpLogin(server.url, 'analyst')), 'accept-encoding': 'identity' };
    const bodies: string[] = [];
    for (const path of LAYERS) bodies.push(await (await fetch(`${server.url}${path}`, { headers })).text());
    return bodies;
  } finally {
    await server.stop();
  }
}

const npmRun = (script: string, args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

// The documented routine (docs/operations.md), run for real: back up, restore somewhere new,
// and the restored database serves byte-identical layers.
for (const kind of BACKENDS) {
  describe(`backup and restore on ${kind}`, () => {
    it('restores a database that serves byte-identical layers', { timeout: 300_000 }, async () => {
      const t = await openTestDatabase(kind);
      const work = await mkdtemp(join(tmpdir(), 'ilk-backup-'));
      onTestFinished(() => rm(work, { recursive: true, force: true }));
      const file = join(work, kind === 'embedded' ? 'backup.tar.gz' : 'backup.dump');
      let source: Record<string, string>;
      let target: Record<string, string>;
      if (kind === 'embedded') {
        await t.db.close();
        onTestFinished(() => rm(t.dataDir!, { recursive: true, force: true }));
        source = { DATA_DIR: t.dataDir! };
        target = { DATA_DIR: join(work, 'restored') };
      } else {
        onTestFinished(() => t.dispose());
        const name = `ilk_restore_${process.pid}`;
        const admin = new pg.Client({ connectionString: adminUrl(t.url!) });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        onTestFinished(async () => {
          const a = new pg.Client({ connectionString: adminUrl(t.url!) });
          await a.connect();
          await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await a.end();
        });
        source = { DATABASE_URL: t.url! };
        target = { DATABASE_URL: databaseUrl(t.url!, name) };
      }
      const before = await layers(source);
      expect(npmRun('backup', ['--out', file], source)).toMatch(/backup written/);
      expect(npmRun('restore', ['--from', file], target)).toMatch(/restored/);
      const after = await layers(target);
      expect(after.map((b) => b.length)).toEqual(before.map((b) => b.length));
      expect(after).toEqual(before);
      expect(JSON.parse(before[2]!).features.length).toBeGreaterThan(300);
    });
  });
}
