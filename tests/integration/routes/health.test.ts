import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { MIGRATIONS_DIR } from '../../helpers/paths.ts';
import { createPgDatabase } from '../../../server/src/db/pg-database.ts';

for (const kind of BACKENDS) {
  describe(`GET /api/health on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('reports the backend, the PostGIS version and the applied migrations', async () => {
      const res = await app.inject('/api/health');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
      expect(body).toEqual({ status: 'ok', database: kind, postgis: expect.stringMatching(/^3\.\d+/), migrations: files });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('serves the dataset facts and the attribution', async () => {
      expect((await app.inject('/api/meta')).statusCode).toBe(401);
      const res = await as(app, await login(app, 'analyst'))({ url: '/api/meta' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.dataset.demo).toBe(true);
      expect(body.sources.map((s: { key: string }) => s.key)).toContain('demo');
      expect(body.categories).toHaveLength(8);
    });

    it('answers unknown routes with problem+json', async () => {
      const res = await app.inject('/api/nothing-here');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, title: 'Not found', instance: '/api/nothing-here' });
    });
  });
}

describe('GET /api/health without a database', () => {
  it('answers 503 problem+json quickly when PostgreSQL does not answer', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const db = createPgDatabase({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 1000 });
    const app = await buildTestApp(db);
    const started = Date.now();
    const res = await app.inject('/api/health');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    const body = res.json();
    expect(body).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    await app.close();
    await db.close();
  });
});
