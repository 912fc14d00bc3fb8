import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ProblemType } from '@ilk/core';
import { buildApp } from '../../../server/src/app.ts';
import { loadConfig } from '../../../server/src/config.ts';
import { IMPORT_LIMITS } from '../../../server/src/services/import-body.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { login, type Session } from '../../helpers/auth.ts';

// The transport side of strict input, on a real listening server: the real curl with
// `Expect: 100-continue` (its default for large bodies), media types that no route parses,
// and clients that hang up while the server is still computing.
const run = promisify(execFile);
const JSON_LIMIT = 64 * 1024;
const KREIS = '010990000000';

interface LogLine { level: number; msg: string; res?: { statusCode?: number }; err?: unknown }

/** curl's answer: status, content type, body; a reset connection shows as a non-zero exit code. */
async function curl(args: string[]): Promise<{ status: number; type: string; body: string }> {
  const { stdout } = await run('curl', ['-sS', '--max-time', '30', '-w', '\n%{http_code} %{content_type}', ...args], { maxBuffer: 1 << 20 });
  const cut = stdout.lastIndexOf('\n');
  const [status, type] = stdout.slice(cut + 1).split(' ');
  return { status: Number(status), type: type ?? '', body: stdout.slice(0, cut) };
}

for (const kind of BACKENDS) {
  describe(`strict transport on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let url: string;
    let dir: string;
    let coordinator: Session;
    const log: LogLine[] = [];

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) log.push(JSON.parse(l) as LogLine); done(); } });
      const config = loadConfig({ NODE_ENV: 'test', LOGIN_RATE_LIMIT: '1000', MAX_EVENT_LOOP_DELAY_MS: '0', BODY_LIMIT_BYTES: String(JSON_LIMIT) });
      app = await buildApp({ db: t.db, config, logger: { level: 'info', stream: sink } });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      coordinator = await login(app, 'coordinator');
      dir = await mkdtemp(join(tmpdir(), 'ilk-strict-'));
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const auth = () => ['-H', `Cookie: ${coordinator.cookie}`, '-H', `X-CSRF-Token: ${coordinator.csrf}`];

    it.each([
      { route: 'the offer import', path: '/api/offers/import', type: 'text/csv', bytes: IMPORT_LIMITS.maxBodyBytes + 1024 },
      { route: 'a JSON route', path: '/api/offers', type: 'application/json', bytes: JSON_LIMIT + 1024 },
    ])('answers an oversized upload to $route with 413 problem+json before it is sent, 20 times in a row', async ({ path, type, bytes }) => {
      const file = join(dir, `big-${bytes}`);
      await writeFile(file, Buffer.alloc(bytes, 0x61));
      for (let i = 0; i < 20; i++) {
        // A reset connection makes curl exit non-zero (55/56), which rejects here. curl waits for
        // "100 Continue" 1 s by default, then uploads anyway; on a loaded machine the answer may
        // take longer, so it is told to wait for the server's decision.
        const res = await curl(['-X', 'POST', '--expect100-timeout', '20', '--data-binary', `@${file}`, '-H', `Content-Type: ${type}`, '-H', 'Expect: 100-continue', ...auth(), `${url}${path}`]);
        expect(res.status).toBe(413);
        expect(res.type).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.body)).toMatchObject({ type: ProblemType.payloadTooLarge, status: 413 });
      }
    }, 240_000);

    it('still sends "100 Continue" for a body within the limit, and reads it', async () => {
      const file = join(dir, 'small.json');
      await writeFile(file, JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: ['9.8', '54.3'] }, properties: { name: 'x', category: 'sprache' } }));
      const res = await curl(['-X', 'POST', '--data-binary', `@${file}`, '-H', 'Content-Type: application/json', '-H', 'Expect: 100-continue', ...auth(), `${url}/api/offers`]);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).errors).toEqual(expect.arrayContaining([{ field: '/geometry/coordinates/0', message: 'must be number' }]));
    });

    const post = (path: string, type: string | null, body: string) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf, ...(type ? { 'content-type': type } : {}) }, body: type ? body : new Blob([body]) });

    it.each([
      { path: '/api/offers', type: 'text/plain', accepted: ['application/json'] },
      { path: '/api/needs', type: 'application/x-www-form-urlencoded', accepted: ['application/json'] },
      { path: '/api/offers/import', type: 'application/xml', accepted: ['application/json', 'application/geo+json', 'text/csv'] },
    ])('refuses $type on $path with 415 naming the accepted types', async ({ path, type, accepted }) => {
      const before = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
      const res = await post(path, type, '{"name":"x"}');
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('accept-post')).toBe(accepted.join(', '));
      const problem = (await res.json()) as { type: string; detail: string; accepted: string[] };
      expect(problem.type).toBe(ProblemType.unsupportedMediaType);
      expect(problem.accepted).toEqual(accepted);
      expect(problem.detail).toContain(type);
      for (const a of accepted) expect(problem.detail).toContain(a);
      expect((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')).rows).toEqual(before.rows);
    });

    it('refuses a body without a content type with 415, and the capacity import names CSV and XLSX', async () => {
      const none = await post('/api/offers', null, '{"name":"x"}');
      expect(none.status).toBe(415);
      expect(((await none.json()) as { detail: string }).detail).toMatch(/without a content type.*application\/json/);
      const capacity = await post(`/api/capacity/import?kreis=${KREIS}`, 'text/plain', 'ARS;Wohnungen frei');
      expect(capacity.status).toBe(415);
      expect(((await capacity.json()) as { detail: string }).detail).toMatch(/text\/csv.*spreadsheetml/);
    });

    it('logs a client that hangs up during a household suggestion at info, not as an error', async () => {
      const analyst = await login(app, 'analyst');
      const headers = { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'application/json', 'accept-encoding': 'gzip' };
      // Feasible, so the answer is a 200 that @fastify/compress streams to a client no longer there.
      const households = Array.from({ length: 30 }, (_, i) => ({ size: 1 + (i % 4), children_3_5: i % 5 === 0 ? 1 : 0, languages: [['uk', 'ar', 'fa', 'tr', 'so'][i % 5]!], needs_medical: i % 7 === 0 }));
      const body = JSON.stringify({ mode: 'households', kreis: KREIS, households, weights: { kita_free: 1, load: 1, language_match: 0.5 }, time_limit: 2 });
      const seen = log.length;
      const aborts = [50, 200, 500].map(async (ms) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), ms);
        await expect(fetch(`${url}/api/allocations/suggest`, { method: 'POST', signal: controller.signal, headers, body })).rejects.toThrow(/abort/i);
      });
      // And one that hangs up while its body is still being sent.
      const partial = new Promise<void>((resolve) => {
        const r = httpRequest(`${url}/api/allocations/suggest`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } });
        r.on('error', () => resolve());
        r.write(body.slice(0, 1000));
        setTimeout(() => { r.destroy(); resolve(); }, 200);
      });
      await Promise.all([...aborts, partial]);
      // Solves run one at a time in one worker: once this one is answered, the others have ended.
      const last = await fetch(`${url}/api/allocations/suggest`, { method: 'POST', headers, body });
      expect(last.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      const mine = log.slice(seen);
      expect(mine.filter((l) => l.level >= 50)).toEqual([]);
      expect(mine.filter((l) => (l.res?.statusCode ?? 0) >= 500)).toEqual([]);
      expect(mine.filter((l) => l.level === 30 && l.msg === 'client closed the request').length).toBeGreaterThanOrEqual(2);
    }, 180_000);
  });
}
