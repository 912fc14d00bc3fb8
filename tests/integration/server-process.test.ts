import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDatabase } from '../../server/src/db/pglite-database.ts';
import { httpLogin, startExpectingFailure, startServer } from '../helpers/server-process.ts';
import { openTestDatabase } from '../helpers/test-db.ts';

// The README's promise, end to end: a first start creates, migrates and seeds the embedded
// database; SIGTERM closes cleanly; a second start reuses the data without reseeding.
describe('npm start on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ilk-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const readState = async () => {
    const db = await createPgliteDatabase(join(dataDir, 'pglite'));
    const { rows } = await db.query<{ seeded: string; regions: number; needs: number }>(`
      SELECT (SELECT value #>> '{}' FROM app_meta WHERE key = 'demo_seeded_at') AS seeded,
             (SELECT count(*) FROM regions) AS regions, (SELECT count(*) FROM needs) AS needs`);
    return { db, state: rows[0]! };
  };

  it('starts fresh, seeds the demo district and shuts down cleanly on SIGTERM', { timeout: 240_000 }, async () => {
    const server = await startServer({ DATA_DIR: dataDir }, 180_000);
    onTestFinished(() => void server.stop('SIGKILL'));
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'embedded' });
    const meta = (await (await fetch(`${server.url}/api/meta`, { headers: await httpLogin(server.url, 'analyst') })).json()) as { dataset: { demo: boolean } };
    expect(meta.dataset.demo).toBe(true);
    expect(server.output()).toMatch(/database: embedded PGlite in .*PostGIS 3\.\d+/);
    expect(server.output()).toMatch(/seeded the fictional demo district/);
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(true);

    // A second server on the same data directory must refuse: PGlite has one owner.
    const second = await startExpectingFailure({ DATA_DIR: dataDir });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/in use by process/);

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toMatch(/shutting down/);
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
  });

  it('reuses the data on the next start: nothing lost, no reseed', { timeout: 180_000 }, async () => {
    const { db, state: before } = await readState();
    const region = (await db.query<{ id: number }>("SELECT id FROM regions WHERE level = 'gemeinde' LIMIT 1")).rows[0]!;
    await db.query("INSERT INTO needs (region_id, kind, title) VALUES ($1, 'information', 'kept across restarts')", [region.id]);
    await db.close();

    const server = await startServer({ DATA_DIR: dataDir });
    onTestFinished(() => void server.stop('SIGKILL'));
    expect(server.output()).not.toMatch(/seeded the fictional demo district/);
    // SIGUSR2 logs what the memory is made of (docs/operations.md, "Memory").
    server.child.kill('SIGUSR2');
    await expect.poll(() => server.output(), { timeout: 20_000 }).toMatch(/"memory report/);
    const { memory } = JSON.parse(server.output().split('\n').find((l) => l.includes('"memory report'))!) as { memory: { rss: number; worker: { wasm_memory: number; heap_total: number } } };
    expect(memory.rss).toBeGreaterThan(memory.worker.heap_total);
    expect(memory.worker.wasm_memory).toBeGreaterThanOrEqual(128);
    expect(await server.stop('SIGINT')).toBe(0);

    const { db: db2, state: after } = await readState();
    await db2.close();
    expect(after).toEqual({ seeded: before.seeded, regions: before.regions, needs: before.needs + 1 });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('npm start on PostgreSQL (DATABASE_URL)', () => {
  it('names the backend and its PostGIS version in the start-up log', async () => {
    const t = await openTestDatabase('postgres');
    const dataDir = await mkdtemp(join(tmpdir(), 'ilk-pg-'));
    try {
      const server = await startServer({ DATABASE_URL: t.url!, DATA_DIR: dataDir });
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: 'postgres' });
      expect(server.output()).toMatch(/database: PostgreSQL \(DATABASE_URL\), PostGIS 3\.\d+/);
      expect(await server.stop()).toBe(0);
    } finally {
      await t.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
