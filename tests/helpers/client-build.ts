import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './paths.ts';

// The end-to-end tests serve client/dist. The global setup builds it once before any test file
// runs, so that two files running in parallel never rebuild it under each other's server.

const CLIENT = resolve(ROOT, 'client');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the client when client/dist is missing or older than its sources (or core's). */
export function ensureClientBuilt(): void {
  const dist = process.env.CLIENT_DIST ? resolve(process.env.CLIENT_DIST) : join(CLIENT, 'dist');
  const built = join(dist, 'index.html');
  const sources = [join(CLIENT, 'src'), join(CLIENT, 'index.html'), join(CLIENT, 'vite.config.ts'), join(CLIENT, 'package.json'), resolve(ROOT, 'core', 'src')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync('npm', ['run', 'build', '--workspace', 'client'], { cwd: ROOT, stdio: 'pipe' });
}

