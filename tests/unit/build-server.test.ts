import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WORKERS } from '../../scripts/build-server.ts';
import { ROOT } from '../helpers/paths.ts';

// The bundle (npm run build, what the Dockerfile runs) holds the TypeScript; files that a module
// opens by URL relative to itself, and what those import, must be copied beside it, or the built
// server fails only at run time (tests start the sources).
const SRC = join(ROOT, 'server', 'src');
const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => /\.(ts|mjs|cjs)$/.test(f));

describe('the server bundle (scripts/build-server.ts)', () => {
  it('copies every file the server opens by a URL relative to a module', () => {
    const opened = files.flatMap((f) =>
      [...readFileSync(join(SRC, f), 'utf8').matchAll(/new URL\('\.\/([^']+)', import\.meta\.url\)/g)].map((m) => m[1]!));
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.filter((name) => !WORKERS.some((w) => basename(w) === name))).toEqual([]);
  });

  it('copies what the copied workers import from beside them', () => {
    const imported = WORKERS.flatMap((w) =>
      [...readFileSync(join(SRC, w), 'utf8').matchAll(/(?:from |require\()'\.\/([^']+)'/g)].map((m) => m[1]!));
    expect(imported.filter((name) => !WORKERS.some((w) => basename(w) === name))).toEqual([]);
  });
});
