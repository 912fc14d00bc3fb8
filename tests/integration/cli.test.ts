import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openTestDatabase } from '../helpers/test-db.ts';
import { ROOT } from '../helpers/paths.ts';
import { createPgliteDatabase } from '../../server/src/db/pglite-database.ts';

// The README's maintenance commands, run as a user runs them, on a copy of the demo database.
describe('command-line tools on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    const t = await openTestDatabase('embedded');
    await t.db.close();
    dataDir = t.dataDir!;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, ...env }, encoding: 'utf8', input: '' });

  it('npm run db:migrate applies nothing new on a migrated database', () => {
    const r = run('migrate', []);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/embedded: \d+ migrations applied, none new/);
  });

  it('npm run user:add enforces the password policy and creates the account', async () => {
    const weak = run('user-add', ['--email', 'k.meier@kreis.example', '--role', 'coordinator', '--districts', '01099'], { USER_PASSWORD: 'kurz' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/password must be at least 10 characters long/);
    const ok = run('user-add', ['--email', 'k.meier@kreis.example', '--role', 'coordinator', '--districts', '01099'], { USER_PASSWORD: 'Fähre nach Föhr um acht' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/created user \d+: k\.meier@kreis\.example \(coordinator\)/);
    const again = run('user-add', ['--email', 'k.meier@kreis.example', '--role', 'analyst'], { USER_PASSWORD: 'Fähre nach Föhr um acht' });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists already/);
    const bad = run('user-add', ['--email', 'x@y.de', '--role', 'king']);
    expect(bad.status).toBe(2);
    const db = await createPgliteDatabase(join(dataDir, 'pglite'));
    const { rows } = await db.query<{ role: string; districts: string[] }>(`
      SELECT u.role, array_agg(r.ars) AS districts FROM users u JOIN user_districts d ON d.user_id = u.id JOIN regions r ON r.id = d.region_id
       WHERE u.email = 'k.meier@kreis.example' GROUP BY u.role`);
    await db.close();
    expect(rows).toEqual([{ role: 'coordinator', districts: ['010990000000'] }]);
  });

  it('npm run retention -- --dry-run reports without deleting', () => {
    const r = run('retention', ['--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^would delete: \d+ audit entries, \d+ sessions/m);
  });
});
