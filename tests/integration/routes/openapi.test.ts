import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';

type Spec = { openapi: string; paths: Record<string, Record<string, { responses?: unknown; parameters?: unknown[] }>> };

// OpenAPI path templates ({id}) for Fastify's (:id), without the trailing slash a prefixed '/'
// route may have (in the route list and in the spec alike); the static client and the docs UI are not API.
const toOpenApi = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
const isApi = (url: string) => /^\/(api|ogc|tiles)(\/|$)/.test(url);

// The API contract as /docs serves it, generated from the route schemas (TypeBox, shared with the
// client through core). The snapshot makes every contract change visible in review: a changed
// parameter, schema or route shows as a diff of tests/integration/routes/__snapshots__/openapi.json.
// After a deliberate change: `npx vitest run tests/integration/routes/openapi.test.ts -u`, then
// review and commit the diff.
describe('OpenAPI at /docs', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let spec: Spec;
  beforeAll(async () => {
    t = await openTestDatabase('embedded');
    app = await buildTestApp(t.db);
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    spec = res.json() as Spec;
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('is public, like the login page', async () => {
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
    expect((await app.inject('/docs/')).statusCode).toBe(200);
  });

  it('describes every API route the server registers, and no other', () => {
    expect(spec.openapi).toBe('3.1.0');
    const registered = app.routeList.filter((r) => isApi(r.url)).map((r) => `${r.method} ${toOpenApi(r.url)}`);
    const described = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${toOpenApi(path)}`));
    expect(new Set(described)).toEqual(new Set(registered));
  });

  it('matches the reviewed contract', async () => {
    await expect(JSON.stringify(spec, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/openapi.json');
  });
});
