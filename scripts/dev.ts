// npm run dev: the API server (restarting when its sources change) and the Vite dev server with
// hot reload, which proxies /api, /ogc, /tiles and /docs to that API. Open the Vite address.
// PORT sets the API's port (default 3000), DEV_PORT the Vite port (default 5173); everything else
// configures the API as for `npm start`. Ctrl-C (or SIGTERM) stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const apiPort = process.env.PORT ?? '3000';
const devPort = process.env.DEV_PORT ?? '5173';
const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');

const children: ChildProcess[] = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/src/main.ts'], {
    cwd: root, stdio: 'inherit', env: { ...process.env, PORT: apiPort },
  }),
  // Vite is started directly (not through npm) so a signal reaches it, and told the API's address.
  spawn(process.execPath, [vite, '--port', devPort, '--strictPort', '--host', process.env.HOST ?? '127.0.0.1'], {
    cwd: join(root, 'client'), stdio: 'inherit', env: { ...process.env, API_URL: `http://127.0.0.1:${apiPort}` },
  }),
];

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  let left = children.length;
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) left--;
    else c.once('exit', () => --left === 0 && process.exit(code));
  }
  if (left === 0) process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
// When one of them ends on its own (a port taken, a syntax error in the config), stop the other.
for (const c of children) c.on('exit', (code) => stop(code ?? 1));
console.log(`dev: open http://127.0.0.1:${devPort}/ (Vite, hot reload); API on port ${apiPort}`);
