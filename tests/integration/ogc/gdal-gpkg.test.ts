import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FeatureCollection } from 'geojson';
import { REGION_COLUMNS_FLAT, type ColumnType } from '@ilk/core/registries/region-columns';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { startServer, type ServerProcess } from '../../helpers/server-process.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';
import { DEMO_PASSWORD, demoEmail } from '../../helpers/auth.ts';

const run = promisify(execFile);

// Issue 17, section 3: the region collections of the OGC API and the region exports carry the
// indicators as flat, typed columns that GDAL writes to a GeoPackage without a warning, with the
// values of the app's own region layer (/api/regions). On the demo district and on Kreis
// Herzogtum Lauenburg from the official data, on both backends.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const LAUENBURG = {
  scope: { level: 'kreis' as const, key: '01053' },
  boundaries: join(VG, 'VG5000_GEM.shp'),
  verbaende: join(VG, 'VG5000_VWG.shp'),
  population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
};
const KREISE = ['01099', '01053'];
const LEVELS = ['kreis', 'verband', 'gemeinde'] as const;
const GDAL_TYPE: Record<ColumnType, RegExp> = { integer: /^Integer(64)?$/, number: /^Real$/, string: /^String$/, date: /^Date$/ };

type Row = Record<string, unknown>;

/** Logs in as the analyst and creates an API token, as docs/analysts.md tells users to. */
async function createToken(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demoEmail('analyst'), password: DEMO_PASSWORD }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ilk_session='))!.split(';')[0]!;
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const res = await fetch(`${base}/api/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token }, body: JSON.stringify({ name: 'gpkg' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** The app's region layer feature as one flat row: what the GIS columns must hold. */
function flatten(p: Row): Row {
  const cap = (p.capacity ?? null) as Row | null;
  const byCategory = p.offers_by_category as Record<string, number>;
  const [lon, lat] = p.label_point as [number, number];
  const row: Row = { ...p, label_lon: lon, label_lat: lat, capacity_report_date: cap?.report_date ?? null };
  for (const c of REGION_COLUMNS_FLAT) {
    if (c.name.startsWith('capacity_') && c.name !== 'capacity_report_date') row[c.name] = cap?.[c.name.slice('capacity_'.length)] ?? null;
    if (c.name.startsWith('offers_') && c.name !== 'offers_total') row[c.name] = byCategory[c.name.slice('offers_'.length)] ?? 0;
  }
  return row;
}

/** Field name -> GDAL type of a layer, from `ogrinfo -so`. */
async function fieldTypes(file: string, layer: string): Promise<Map<string, string>> {
  const { stdout } = await run('ogrinfo', ['-so', file, layer]);
  return new Map([...stdout.matchAll(/^(\w+): (\w+)(?:\(\w+\))? \(/gm)].map((m) => [m[1]!, m[2]!]));
}

/** A GeoPackage layer read back by GDAL as GeoJSON, features by key. */
async function readBack(file: string, layer: string): Promise<Map<string, Row>> {
  const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, layer], { maxBuffer: 256 * 1024 * 1024 });
  const fc = JSON.parse(stdout) as FeatureCollection;
  return new Map(fc.features.map((f) => [String(f.properties!.key), f.properties as Row]));
}

function expectSameValues(got: Map<string, Row>, want: Row[], label: string) {
  expect(got.size, label).toBe(want.length);
  for (const w of want) {
    const g = got.get(String(w.key));
    expect(g, `${label} ${w.key}`).toBeDefined();
    for (const c of REGION_COLUMNS_FLAT) {
      const value = w[c.name] ?? null;
      const where = `${label} ${w.key} ${c.name}`;
      if (value === null) expect(g![c.name] ?? null, where).toBeNull();
      else if (c.type === 'number') expect(g![c.name] as number, where).toBeCloseTo(Number(value), 9);
      else if (c.type === 'integer') expect(g![c.name], where).toBe(Number(value));
      else expect(g![c.name], where).toBe(value);
    }
  }
}

for (const kind of BACKENDS) {
  describe(`regions as flat, typed columns in a GeoPackage, by GDAL, on ${kind}`, () => {
    let t: TestDatabase;
    let server: ServerProcess;
    let out: string;
    let auth: string[];
    let token: string;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      // The demo stays beside the real Kreis (the accounts are the demo's). One Amt of the
      // Kreis reports, so its capacity columns hold values on the real data too.
      await importOfficial(t.db, { ...LAUENBURG, keepDemo: true });
      await t.db.query(`
        INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places,
                                      kita_free, school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
        SELECT id, DATE '2026-11-02', 12, 3, 40, 5, 7, 9, 2, 161, 20 FROM regions
         WHERE level = 'verband' AND ars LIKE '01053%' ORDER BY ars LIMIT 1`);
      if (kind === 'embedded') await t.db.close();
      server = await startServer(kind === 'embedded' ? { DATA_DIR: t.dataDir!, DATABASE_URL: '', LOG_LEVEL: 'warn' } : { DATABASE_URL: t.url!, LOG_LEVEL: 'warn' }, 180_000);
      token = await createToken(server.url);
      auth = ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${token}`];
      out = await mkdtemp(join(tmpdir(), 'ilk-gpkg-'));
    }, 300_000);
    afterAll(async () => {
      await server?.stop();
      await rm(out, { recursive: true, force: true });
      if (kind === 'embedded') await rm(t.dataDir!, { recursive: true, force: true });
      else await t?.dispose();
    });

    const api = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(200);
      return res;
    };
    // Both Kreise, the demo's and Lauenburg, are in every level's layer.
    const layerRows = async (level: string) => {
      const rows = ((await (await api(`/api/regions?level=${level}`)).json()) as FeatureCollection).features.map((f) => flatten(f.properties as Row));
      for (const kreis of KREISE) expect(rows.some((r) => String(r.key).startsWith(kreis)), `${level} ${kreis}`).toBe(true);
      return rows;
    };

    it('describes every column with its type in the collection schema (rel=describedBy)', async () => {
      const collection = (await (await api('/ogc/collections/regions-verband')).json()) as { links: { rel: string; href: string; type: string }[] };
      const link = collection.links.find((l) => l.rel.toLowerCase() === 'describedby')!;
      expect(link.type).toBe('application/schema+json');
      const res = await api(new URL(link.href).pathname);
      expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      const props = ((await res.json()) as { properties: { properties: { properties: Record<string, { type: string; format?: string }> } } }).properties.properties.properties;
      expect(Object.keys(props)).toEqual(REGION_COLUMNS_FLAT.map((c) => c.name));
      for (const c of REGION_COLUMNS_FLAT) expect(props[c.name], c.name).toMatchObject(c.type === 'date' ? { type: 'string', format: 'date' } : { type: c.type });
    });

    for (const level of LEVELS) {
      it(`ogr2ogr from the OGC API, ${level}: typed columns, the layer's values, no warning`, async () => {
        const want = await layerRows(level);
        const file = join(out, `ogc-${level}.gpkg`);
        const { stderr } = await run('ogr2ogr', ['-f', 'GPKG', file, `OAPIF:${server.url}/ogc`, `regions-${level}`, '-oo', 'PAGE_SIZE=1000', ...auth]);
        expect(stderr).not.toMatch(/Warning|ERROR/);
        const types = await fieldTypes(file, `regions-${level}`);
        // The schema types every column, also one that is empty on every feature.
        for (const c of REGION_COLUMNS_FLAT) expect(types.get(c.name), `${c.name}: ${types.get(c.name)}`).toMatch(GDAL_TYPE[c.type]);
        expectSameValues(await readBack(file, `regions-${level}`), want, `ogc ${level}`);
      });

      it(`ogr2ogr from the region export, ${level}: typed columns, the layer's values, no warning`, async () => {
        const want = await layerRows(level);
        const geojson = join(out, `export-${level}.geojson`);
        await writeFile(geojson, Buffer.from(await (await api(`/api/export/regions.geojson?level=${level}`)).arrayBuffer()));
        const file = join(out, `export-${level}.gpkg`);
        const { stderr } = await run('ogr2ogr', ['-f', 'GPKG', file, geojson, '-nln', 'regions']);
        expect(stderr).not.toMatch(/Warning|ERROR/);
        const types = await fieldTypes(file, 'regions');
        // GeoJSON carries no schema: GDAL types a column by its values, so one without any value
        // in the file (capacities at Gemeinde level, where they are not reported) is read as text.
        for (const c of REGION_COLUMNS_FLAT) {
          if (want.some((w) => w[c.name] !== null && w[c.name] !== undefined)) expect(types.get(c.name), `${c.name}: ${types.get(c.name)}`).toMatch(GDAL_TYPE[c.type]);
          else expect(types.has(c.name), c.name).toBe(true);
        }
        expectSameValues(await readBack(file, 'regions'), want, `export ${level}`);
      });
    }

    it('writes the offers with their lists as |-joined text, without a warning', async () => {
      const file = join(out, 'offers.gpkg');
      const { stderr } = await run('ogr2ogr', ['-f', 'GPKG', file, `OAPIF:${server.url}/ogc`, 'offers', '-oo', 'PAGE_SIZE=1000', ...auth]);
      expect(stderr).not.toMatch(/Warning|ERROR/);
      const types = await fieldTypes(file, 'offers');
      expect(types.get('languages')).toBe('String');
      expect(types.get('target_groups')).toBe('String');
      const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, 'offers'], { maxBuffer: 256 * 1024 * 1024 });
      const got = new Map((JSON.parse(stdout) as FeatureCollection).features.map((f) => [Number(f.properties!.id), f.properties as Row]));
      const layer = (await (await api('/api/offers')).json()) as FeatureCollection;
      expect(got.size).toBe(layer.features.length);
      let lists = 0;
      for (const f of layer.features) {
        const p = f.properties as { id: number; languages: string[] | null; target_groups: string[] | null };
        for (const k of ['languages', 'target_groups'] as const) {
          expect(got.get(p.id)![k] ?? null, `${p.id} ${k}`).toBe(p[k] === null ? null : p[k]!.join('|'));
          if ((p[k]?.length ?? 0) > 1) lists++;
        }
      }
      expect(lists).toBeGreaterThan(0);
    });
  });
}
