import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.ts';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own, on its own port, that the test may stop and start
 * without disturbing the shared server other test files use. PostgreSQL refuses to run as
 * root, so it runs as the system user `postgres` when the tests run as root (as in CI).
 */
export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function asPostgres(args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

function run(args: string[]): void {
  const [cmd, ...rest] = asPostgres(args);
  const r = spawnSync(cmd!, rest, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'ilk-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const port = await freePort();
  run([`${BIN}/initdb`, '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const ctl = (...a: string[]) => run([`${BIN}/pg_ctl`, '-D', data, '-w', '-t', '30', ...a]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  ctl('-o', opts, '-l', join(dir, 'log'), 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => ctl('-m', 'immediate', 'stop'),
    start: () => ctl('-o', opts, '-l', join(dir, 'log'), 'start'),
    destroy: () => {
      spawnSync(asPostgres([`${BIN}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop'])[0]!, asPostgres([`${BIN}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']).slice(1));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
