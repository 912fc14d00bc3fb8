// The server as plain JavaScript (issue 18 §2): server/src/main.ts and the workspace's own
// TypeScript (core) bundled by esbuild into server/dist/main.mjs, run with `node` alone. Under
// tsx the server idled 60-80 MiB higher: tsx's loader runs in a thread of its own, and the
// modules' source text and source maps stay in the heap (docs/operations.md, "Memory").
// Packages from node_modules stay imports, as they are.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'server', 'src');
// One level below server/, as server/src is: config.ts finds the project root two levels up.
export const SERVER_DIST = join(ROOT, 'server', 'dist');

/** Bare imports stay imports, except the workspace's @ilk/* packages, which are TypeScript. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ilk/') ? undefined : { path: args.path, external: true }));
  },
};

/** The worker threads are plain JavaScript, started by URL relative to the module that starts
 *  them (pglite-database.ts, highs-solver.ts): copied beside the bundle, which those become. */
export const WORKERS = ['db/pglite-worker.mjs', 'db/pglite-memory.mjs', 'services/highs-worker.cjs'];

export async function buildServer(): Promise<void> {
  await rm(SERVER_DIST, { recursive: true, force: true });
  await mkdir(SERVER_DIST, { recursive: true });
  await build({
    entryPoints: [join(SRC, 'main.ts')],
    outfile: join(SERVER_DIST, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalPackages],
    // Stack traces name functions as in the source; no source map (it would be held in memory).
    keepNames: true,
    logLevel: 'warning',
  });
  for (const file of WORKERS) await copyFile(join(SRC, file), join(SERVER_DIST, file.split('/').pop()!));
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await buildServer();
