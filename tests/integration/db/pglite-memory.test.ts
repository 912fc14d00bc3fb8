import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterTar, lightPostgis, PGLITE_SETTINGS } from '../../../server/src/db/pglite-memory.mjs';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

// Issue 18: the embedded database starts with smaller buffers and a reduced PostGIS bundle
// (docs/architecture.md, "The two database backends"). Memory itself is measured by
// `npm run bench -- memory`, not here.
describe('embedded database memory settings', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('embedded');
  }, 180_000);
  afterAll(async () => t?.dispose());

  it('runs with the configured PostgreSQL settings', async () => {
    expect(Object.keys(PGLITE_SETTINGS)).toContain('shared_buffers');
    for (const [name, value] of Object.entries(PGLITE_SETTINGS)) {
      const { rows } = await t.db.query<Record<string, string>>(`SHOW ${name}`);
      expect(rows[0]![name], name).toBe(value);
    }
  });

  it('still has the PostGIS the application uses: PROJ transformations and the GEOS functions', async () => {
    const { rows } = await t.db.query<{ x: number; y: number; area: number }>(`
      SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_Area(ST_Buffer(p, 10)) AS area
        FROM (SELECT ST_Transform(ST_SetSRID(ST_Point(10, 54), 4326), 25832) AS p) s`);
    expect(rows[0]!.x).toBeCloseTo(565548.52, 1);
    expect(rows[0]!.y).toBeCloseTo(5983984.45, 1);
    expect(rows[0]!.area).toBeGreaterThan(300);
    const gk = await t.db.query<{ x: number }>('SELECT ST_X(ST_Transform(ST_SetSRID(ST_Point(3500000, 6000000), 31467), 4326)) AS x');
    expect(gk.rows[0]!.x).toBeGreaterThan(8);
  });

  it('lets go of the PostGIS bundle once started, and PostGIS still answers', async () => {
    // Before releaseBundle the worker held 89 MB of ArrayBuffers (the decompressed bundle, the
    // library file, the extension script), 34 MB after.
    const m = await t.db.memory!();
    expect(m.arrayBuffers).toBeLessThan(60 * 2 ** 20);
    const { rows } = await t.db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    expect(rows[0]!.v).toMatch(/^3\./);
  });

  it('loads only the PostGIS core library and PROJ data from the bundle', async () => {
    const ext = await lightPostgis();
    const { bundlePath } = (await ext.setup({} as never, { PGLITE_ENV: {} } as never)) as { bundlePath: URL };
    const names: string[] = [];
    filterTar(gunzipSync(readFileSync(fileURLToPath(bundlePath))), (n) => (names.push(n), false));
    expect(names).toContain('lib/postgresql/postgis-3.so');
    expect(names).toContain('share/proj/proj.db');
    expect(names).toContain('share/postgresql/extension/postgis.control');
    expect(names.filter((n) => n.endsWith('.so'))).toEqual(['lib/postgresql/postgis-3.so']);
    expect(names.some((n) => /raster|topology|tiger/.test(n))).toBe(false);
  });
});
