import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { login } from '../../helpers/auth.ts';

const CSP = "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';img-src 'self' data: blob:;"
  + "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';worker-src 'self' blob:;child-src 'self' blob:;connect-src 'self'";

// The headers do not depend on the database: one backend is enough.
describe('security headers (plugins/security.ts)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let production: FastifyInstance;
  beforeAll(async () => {
    t = await openTestDatabase('embedded');
    app = await buildTestApp(t.db);
    production = await buildTestApp(t.db, { NODE_ENV: 'production', BASEMAP_STYLE_URL: 'https://tiles.example.org/styles/basic.json' });
  });
  afterAll(async () => {
    await Promise.all([app.close(), production.close()]);
    await t.dispose();
  });

  it('sends them on answers, on refusals and on errors alike', async () => {
    const s = await login(app, 'analyst');
    const answers = await Promise.all([
      app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } }),
      app.inject({ url: '/api/auth/me' }),
      app.inject({ url: '/api/nope' }),
      app.inject({ url: '/api/offers?category=unknown', headers: { cookie: s.cookie } }),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404, 400]);
    for (const r of answers) {
      expect(r.headers).toMatchObject({
        'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-resource-policy': 'same-origin',
      });
      expect(r.headers).not.toHaveProperty('strict-transport-security');
      expect(r.headers).not.toHaveProperty('cross-origin-embedder-policy');
    }
  });

  it('adds HSTS in production and a configured basemap to the images and connections allowed', async () => {
    const r = await production.inject({ url: '/api/nope' });
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(r.headers['content-security-policy']).toContain("img-src 'self' data: blob: https://tiles.example.org;");
    expect(r.headers['content-security-policy']).toMatch(/connect-src 'self' https:\/\/tiles\.example\.org$/);
  });
});
