import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/src/db/index.ts';
import { ImportInputError } from '../../../server/src/import/errors.ts';
import { importOfficial, type ImportOptions } from '../../../server/src/import/import-official.ts';
import { DEFAULT_ZIP_LIMITS } from '../../../server/src/import/zip-archive.ts';
import { OFFICIAL_DIR, ROOT } from '../../helpers/paths.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { honestBomb, lyingBomb, storedEntry, writeZip, type RawEntry } from '../../fixtures/bad-input/zip.ts';
import { dbf, pointShp } from '../../fixtures/bad-input/shapefile.ts';

// The official import has no HTTP upload: shapefiles come in through the command line and its
// zip reader. Hostile archives and files, made at test time from the real BKG layer, must end in
// an error that names the file and the problem, quickly, in little memory, with nothing written.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const GV = join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv');
const LAUENBURG: ImportOptions = { scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'), population: GV };
const MAX_MS = 10_000;
const MAX_RSS_GROWTH = 500 * 1024 * 1024;

// Everything an import writes (regions, sources, the dataset entry) and the tables beside it.
const CHECKSUM = `
  SELECT md5(concat_ws(' ',
    (SELECT string_agg(concat_ws('|', level, ars, name, population, parent_id, source_key, updated_at, md5(ST_AsBinary(geom))), ',' ORDER BY level, ars) FROM regions),
    (SELECT string_agg(concat_ws('|', key, attribution, imported_at), ',' ORDER BY key) FROM data_sources),
    (SELECT string_agg(key || value::text, ',' ORDER BY key) FROM app_meta),
    (SELECT string_agg(layer || '=' || revision, ',' ORDER BY layer) FROM layer_revisions),
    (SELECT count(*) FROM offers), (SELECT count(*) FROM audit_log))) AS checksum`;
const checksum = async (db: Queryable) => (await db.query<{ checksum: string }>(CHECKSUM)).rows[0]!.checksum;

type Part = 'shp' | 'dbf' | 'prj' | 'cpg';
interface Case {
  name: string;
  /** Writes the hostile input into `dir`; returns the path given as --boundaries. */
  make: (dir: string) => Promise<string>;
  error: RegExp;
}

// The real Gemeinde layer, read once; every hostile input is a variation of it.
let gem: Record<Part, Buffer>;
const entries = (prefix = '', parts: Partial<Record<Part, Uint8Array>> = gem): RawEntry[] =>
  Object.entries(parts).map(([ext, data]) => storedEntry(`${prefix}VG5000_GEM.${ext}`, data));
const zip = (name: string, build: () => RawEntry[] | Buffer) => async (dir: string) => {
  const path = join(dir, name);
  const made = build();
  await writeFile(path, Buffer.isBuffer(made) ? made : writeZip(made));
  return path;
};
/** The layer in a directory of its own, `parts` replacing the real files. */
const files = (name: string, parts: () => Promise<Partial<Record<Part, Uint8Array>>> | Partial<Record<Part, Uint8Array>>) => async (dir: string) => {
  const sub = join(dir, name);
  await mkdir(sub);
  for (const [ext, data] of Object.entries({ ...gem, ...(await parts()) })) await writeFile(join(sub, `VG5000_GEM.${ext}`), data);
  return join(sub, 'VG5000_GEM.shp');
};
const half = (b: Uint8Array) => b.subarray(0, Math.floor(b.length / 2));
/** The .shp cut exactly after its n-th record: the shapefile reader alone stopped there quietly. */
async function cutAtRecord(n: number): Promise<Uint8Array> {
  const shx = await readFile(join(VG, 'VG5000_GEM.shx'));
  return gem.shp.subarray(0, shx.readInt32BE(100 + 8 * n) * 2);
}
const sidecars = () => [storedEntry('VG5000_GEM.dbf', gem.dbf), storedEntry('VG5000_GEM.prj', gem.prj)];
const MiB = 1024 * 1024;

const CASES: Case[] = [
  { name: 'a layer without .prj', make: zip('no-prj.zip', () => entries('', { shp: gem.shp, dbf: gem.dbf })), error: /no-prj\.zip#VG5000_GEM\.shp: no \.prj beside it/ },
  { name: 'a "../" entry name (path traversal)', make: zip('dotdot.zip', () => entries('../')), error: /unsafe entry name "\.\.\/VG5000_GEM\.shp".*path traversal/ },
  { name: 'an absolute entry name', make: zip('absolute.zip', () => entries('/tmp/')), error: /unsafe entry name "\/tmp\/VG5000_GEM/ },
  { name: 'a "..\\" entry name (Windows traversal)', make: zip('backslash.zip', () => entries('data\\..\\..\\')), error: /unsafe entry name "data\\\.\.\\/ },
  { name: 'a drive letter in an entry name', make: zip('drive.zip', () => entries('C:\\Windows\\')), error: /unsafe entry name "C:\\Windows/ },
  { name: 'a NUL character in an entry name', make: zip('nul.zip', () => [...entries(), storedEntry('VG5000_GEM.shp\0.txt', new Uint8Array(1))]), error: /unsafe entry name/ },
  {
    name: 'a zip bomb that declares its 3 GiB',
    make: zip('bomb.zip', () => [...sidecars(), honestBomb('VG5000_GEM.shp', 192)]),
    error: new RegExp(`bomb\\.zip: uncompressed size exceeds ${DEFAULT_ZIP_LIMITS.maxTotalBytes} bytes.*zip bomb`),
  },
  {
    name: 'a zip bomb that declares 1 MiB and inflates to 3 GiB',
    make: zip('liar.zip', () => [...sidecars(), lyingBomb('VG5000_GEM.shp', 192, MiB)]),
    error: /liar\.zip: an entry inflates to more than its declared size.*zip bomb/,
  },
  {
    name: 'overlapping entries sharing one 64 MiB stream (2.5 GiB declared)',
    make: zip('overlap.zip', () => {
      const kernel = honestBomb('k0.bin', 4);
      return [...entries(), kernel, ...Array.from({ length: 39 }, (_, i): RawEntry => ({ ...kernel, name: `k${i + 1}.bin`, shareWith: 'k0.bin' }))];
    }),
    error: /overlap\.zip: uncompressed size exceeds .*zip bomb/,
  },
  {
    name: `${DEFAULT_ZIP_LIMITS.maxEntries + 1} entries`,
    make: zip('many.zip', () => [...entries(), ...Array.from({ length: DEFAULT_ZIP_LIMITS.maxEntries - 3 }, (_, i) => storedEntry(`x/${i}.txt`, new Uint8Array(0)))]),
    error: new RegExp(`more than ${DEFAULT_ZIP_LIMITS.maxEntries} entries`),
  },
  { name: 'a truncated archive', make: zip('cut.zip', () => Buffer.from(half(writeZip(entries())))), error: /cut\.zip: not a readable zip archive/ },
  { name: 'a text file named .zip', make: zip('fake.zip', () => Buffer.from('PK, but not really')), error: /fake\.zip: not a readable zip archive/ },
  { name: 'an archive without a .shp', make: zip('no-shp.zip', () => entries('', { dbf: gem.dbf, prj: gem.prj })), error: /no-shp\.zip: the archive holds no \.shp file/ },
  { name: 'a truncated .shp in an archive', make: zip('half-shp.zip', () => entries('', { ...gem, shp: half(gem.shp) })), error: /half-shp\.zip#VG5000_GEM\.shp: truncated: the header gives 3405300 bytes/ },
  { name: 'a .shp cut at a record boundary', make: files('cut-at-record', async () => ({ shp: await cutAtRecord(200) })), error: /cut-at-record\/VG5000_GEM\.shp: truncated/ },
  { name: 'a truncated .dbf', make: files('half-dbf', () => ({ dbf: half(gem.dbf) })), error: /half-dbf\/VG5000_GEM\.dbf: truncated/ },
  { name: 'a .shp with a wrong file code', make: files('bad-magic', () => ({ shp: Buffer.concat([Buffer.alloc(4), gem.shp.subarray(4)]) })), error: /bad-magic\/VG5000_GEM\.shp: not a shapefile/ },
  { name: 'a .prj of an unknown CRS', make: files('local-cs', () => ({ prj: Buffer.from('LOCAL_CS["Werksgelände",LOCAL_DATUM["x",0],UNIT["metre",1]]') })), error: /VG5000_GEM\.prj: unknown coordinate reference system "Werksgelände"/ },
  { name: 'a .prj that is no WKT', make: files('binary-prj', () => ({ prj: Buffer.from([0x00, 0xff, 0x5b, 0x5d]) })), error: /VG5000_GEM\.prj: not a readable WKT/ },
  { name: 'a .cpg naming an unknown encoding', make: files('bad-cpg', () => ({ cpg: Buffer.from('EBCDIC-1047-X') })), error: /VG5000_GEM\.cpg: unknown character encoding "EBCDIC-1047-X"/ },
  {
    name: 'points where polygons are required',
    make: files('points', () => ({ shp: pointShp([[10.6, 53.6]]), dbf: dbf('ARS', ['010530032032']) })),
    error: /points\/VG5000_GEM\.shp: expected polygons, found a Point/,
  },
];

let dir: string;
const inputs = new Map<string, string>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ilk-bad-shp-'));
  const read = (ext: string) => readFile(join(VG, `VG5000_GEM.${ext}`));
  gem = { shp: await read('shp'), dbf: await read('dbf'), prj: await read('prj'), cpg: await read('cpg') };
  for (const c of CASES) inputs.set(c.name, await c.make(dir));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

for (const kind of BACKENDS) {
  describe(`hostile shapefiles and archives for the official import on ${kind}`, () => {
    let t: TestDatabase;
    let before: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      before = await checksum(t.db);
    });
    afterAll(() => t.dispose());

    for (const c of CASES) {
      it(`refuses ${c.name}`, async () => {
        const rss = process.memoryUsage().rss;
        const started = performance.now();
        const error = await importOfficial(t.db, { ...LAUENBURG, boundaries: inputs.get(c.name)! }).then(() => null, (err: unknown) => err);
        const ms = performance.now() - started;
        expect(error).toBeInstanceOf(ImportInputError);
        expect((error as Error).message).toMatch(c.error);
        expect(ms).toBeLessThan(MAX_MS);
        expect(process.memoryUsage().rss - rss).toBeLessThan(MAX_RSS_GROWTH);
        expect(await checksum(t.db)).toBe(before);
      });
    }

    it('as a command, refuses a zip bomb with exit code 1 and writes nothing', async () => {
      const env = t.dataDir !== null ? { DATA_DIR: t.dataDir, DATABASE_URL: '' } : { DATABASE_URL: t.url! };
      const args = ['--kreis', '01053', '--boundaries', inputs.get(CASES[7]!.name)!, '--verbaende', LAUENBURG.verbaende, '--population', GV];
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import-official.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/import failed, nothing written: .*liar\.zip: an entry inflates to more than its declared size/);
      expect(await checksum(t.db)).toBe(before);
    });
  });
}

// The bombs are a few MB on disk for GiB declared: the limits are tested, not the disk.
it('builds its zip bombs small', () => {
  const bomb = writeZip([honestBomb('x', 192)]);
  expect(bomb.length).toBeLessThan(4 * MiB);
  const central = bomb.length - 22 - (46 + 'x'.length);
  expect(bomb.readUInt32LE(central + 24)).toBe(192 * 16 * MiB);
});
