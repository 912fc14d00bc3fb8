import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { startServer, type ServerProcess } from '../../helpers/server-process.ts';
import { DEMO_PASSWORD, demoEmail } from '../../helpers/auth.ts';

const run = promisify(execFile);

// Per collection: the key GDAL's feature carries, and the attributes compared with the database,
// at least one of them numeric.
const SAMPLES: Record<string, { sql: string; key: string; fields: string[] }> = {
  offers: { sql: 'SELECT id::int AS key, name, category_key AS category, places_free FROM offers', key: 'id', fields: ['name', 'category', 'places_free'] },
  'regions-kreis': { sql: "SELECT ars AS key, name, population FROM regions WHERE level = 'kreis'", key: 'key', fields: ['name', 'population'] },
  'regions-verband': { sql: "SELECT ars AS key, name, population FROM regions WHERE level = 'verband'", key: 'key', fields: ['name', 'population'] },
  'regions-gemeinde': { sql: "SELECT ars AS key, name, population, area_km2 FROM regions WHERE level = 'gemeinde'", key: 'key', fields: ['name', 'population', 'area_km2'] },
  needs: { sql: 'SELECT id::int AS key, title, status, category_key AS category FROM needs', key: 'id', fields: ['title', 'status', 'category'] },
};

/** Logs in as the analyst like a browser and creates an API token, as the docs tell users to. */
async function createToken(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demoEmail('analyst'), password: DEMO_PASSWORD }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ilk_session='))!.split(';')[0]!;
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const res = await fetch(`${base}/api/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token }, body: JSON.stringify({ name: 'gdal' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

// The real GDAL client is part of the suite (.ci/run installs gdal-bin): missing, it fails here.
describe('GDAL', () => {
  it('is installed (apt-get install gdal-bin)', () => {
    expect(execFileSync('ogrinfo', ['--version']).toString()).toMatch(/^GDAL 3\./);
  });
});

for (const kind of BACKENDS) {
  describe(`GDAL's OAPIF driver against the real server on ${kind}`, () => {
    let t: TestDatabase;
    let server: ServerProcess;
    let out: string;
    let auth: string[];
    const expected = new Map<string, Map<string, Record<string, unknown>>>();

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      for (const [id, s] of Object.entries(SAMPLES)) {
        const { rows } = await t.db.query<Record<string, unknown> & { key: string | number }>(s.sql);
        expected.set(id, new Map(rows.map((r) => [String(r.key), r])));
      }
      // PGlite has one owner: the test closes its handle and the server opens the same copy.
      if (kind === 'embedded') await t.db.close();
      server = await startServer(kind === 'embedded' ? { DATA_DIR: t.dataDir!, DATABASE_URL: '', LOG_LEVEL: 'warn' } : { DATABASE_URL: t.url!, LOG_LEVEL: 'warn' });
      auth = ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${await createToken(server.url)}`];
      out = await mkdtemp(join(tmpdir(), 'ilk-gdal-'));
    });
    afterAll(async () => {
      await server?.stop();
      await rm(out, { recursive: true, force: true });
      if (kind === 'embedded') await rm(t.dataDir!, { recursive: true, force: true });
      else await t?.dispose();
    });

    it('ogrinfo lists every collection, and refuses without the token', async () => {
      const { stdout } = await run('ogrinfo', ['-so', `OAPIF:${server.url}/ogc`, ...auth]);
      for (const id of Object.keys(SAMPLES)) expect(stdout).toMatch(new RegExp(`^\\d+: ${id} \\(`, 'm'));
      await expect(run('ogrinfo', ['-so', `OAPIF:${server.url}/ogc`])).rejects.toThrow(/401/);
    });

    it('ogrinfo -so reports the count and extent from one request, without paging through the layer', async () => {
      const { stdout, stderr } = await run('ogrinfo', ['-so', `OAPIF:${server.url}/ogc`, 'offers', '--debug', 'on', ...auth]);
      expect(stdout).toContain(`Feature Count: ${expected.get('offers')!.size}`);
      expect(stdout).toMatch(/Extent: \(9\.\d+, 5\d\.\d+\) - \(\d+\.\d+, 5\d\.\d+\)/);
      expect(stderr.match(/Fetch\(.*\/items/g) ?? []).toHaveLength(1);
    });

    for (const [id, sample] of Object.entries(SAMPLES)) {
      it(`ogr2ogr copies ${id} completely, page by page, with the database's attributes`, async () => {
        const file = join(out, `${id}.geojson`);
        const { stderr } = await run('ogr2ogr', ['-f', 'GeoJSON', file, `OAPIF:${server.url}/ogc`, id, '-oo', 'PAGE_SIZE=50', '--debug', 'on', ...auth]);
        const want = expected.get(id)!;
        // GDAL stops silently at a page without rel=next: only the count proves it read them all.
        const pages = (stderr.match(/Fetch\(.*\/items\?limit=50(&offset=\d+)?\)/g) ?? []).length;
        expect(pages).toBeGreaterThanOrEqual(Math.ceil(want.size / 50));
        const fc = JSON.parse(await readFile(file, 'utf8')) as FeatureCollection;
        expect(fc.features).toHaveLength(want.size);
        const seen = new Set<string>();
        for (const f of fc.features) {
          const key = String(f.properties![sample.key]);
          seen.add(key);
          const row = want.get(key);
          expect(row, key).toBeDefined();
          for (const field of sample.fields) expect(f.properties![field] ?? null, `${id} ${key} ${field}`).toEqual(row![field] ?? null);
        }
        expect(seen.size).toBe(want.size);
      });
    }
  });
}
