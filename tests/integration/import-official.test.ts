import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Queryable } from '../../server/src/db/index.ts';
import { parseRegister } from '../../server/src/import/destatis.ts';
import { importOfficial, prepareImport, writeImport, type ImportOptions, type PreparedImport } from '../../server/src/import/import-official.ts';
import { OFFICIAL_DIR, ROOT } from '../helpers/paths.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// The official import on the real BKG and Destatis files (read from ../shared, never copied into
// the repository), on every backend. Bad-input fixtures are made at test time in a temp dir.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const GV = join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv');
const FILES = { boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'), population: GV };
const LAUENBURG: ImportOptions = { scope: { level: 'kreis', key: '01053' }, ...FILES };
const CLI_ARGS = ['--boundaries', FILES.boundaries, '--verbaende', FILES.verbaende, '--population', GV];

// Everything an import may touch, including updated_at and imported_at: equal checksums mean
// nothing was written.
const CHECKSUM = `
  SELECT md5(
    coalesce((SELECT string_agg(concat_ws('|', level, ars, name, kind, population, population_date, source_key, parent_id,
                                          updated_at, md5(ST_AsBinary(geom))), ',' ORDER BY level, ars) FROM regions), '') ||
    coalesce((SELECT string_agg(concat_ws('|', key, attribution, reference_date, imported_at), ',' ORDER BY key) FROM data_sources), '') ||
    coalesce((SELECT string_agg(key || value::text, ',' ORDER BY key) FROM app_meta), '')) AS checksum`;

async function checksum(db: Queryable): Promise<string> {
  return (await db.query<{ checksum: string }>(CHECKSUM)).rows[0]!.checksum;
}

async function countsIn(db: Queryable, prefix: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ level: string; n: number }>(
    'SELECT level, count(*)::int AS n FROM regions WHERE left(ars, length($1)) = $1 AND source_key = $2 GROUP BY level', [prefix, 'bkg-vg5000']);
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

function registerSum(prefix: string): number {
  const register = parseRegister(readFileSync(GV, 'utf8'), GV);
  return [...register.gemeinden.values()].filter((g) => g.key.startsWith(prefix)).reduce((s, g) => s + (g.population ?? 0), 0);
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'scripts/import-official.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The command opens the database like the app: DATA_DIR for the embedded one, else DATABASE_URL.
function cliEnv(t: TestDatabase): Record<string, string> {
  return t.dataDir !== null ? { DATA_DIR: t.dataDir, DATABASE_URL: '' } : { DATABASE_URL: t.url! };
}

let tmp: string;
let lauenburg: PreparedImport;
const bad: Record<string, Partial<ImportOptions>> = {};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ilk-import-'));
  const noPrj = join(tmp, 'no-prj');
  await mkdir(noPrj);
  for (const ext of ['shp', 'shx', 'dbf']) await symlink(join(VG, `VG5000_GEM.${ext}`), join(noPrj, `VG5000_GEM.${ext}`));
  await writeFile(join(tmp, 'traversal.zip'), zipSync({ '../VG5000_GEM.shp': new Uint8Array(await readFile(FILES.boundaries)) }, { level: 0 }));
  const header = (await readFile(GV, 'utf8')).split('\n')[0]!;
  await writeFile(join(tmp, 'other-layout.csv'), `${header.replaceAll(',', ';')}\n60;61;01;0;53;0032;032;Geesthacht\n`);
  Object.assign(bad, {
    'a missing file': { boundaries: join(tmp, 'missing', 'VG5000_GEM.shp') },
    'a shapefile without .prj': { boundaries: join(noPrj, 'VG5000_GEM.shp') },
    'a zip with a traversal name': { boundaries: join(tmp, 'traversal.zip') },
    'a CSV in another layout': { population: join(tmp, 'other-layout.csv') },
    'an unknown district key': { scope: { level: 'kreis', key: '01999' } },
    'the Verband layer given as the Gemeinde layer': { boundaries: FILES.verbaende },
  });
  lauenburg = await prepareImport(LAUENBURG);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const BAD_MESSAGES: Record<string, RegExp> = {
  'a missing file': /missing\/VG5000_GEM\.shp: file not found/,
  'a shapefile without .prj': /no-prj\/VG5000_GEM\.shp: no vg5000_gem\.prj beside it/,
  'a zip with a traversal name': /traversal\.zip: unsafe entry name "\.\.\/VG5000_GEM\.shp"/,
  'a CSV in another layout': /other-layout\.csv: not a Destatis Gemeindeverzeichnis in the expected layout/,
  'an unknown district key': /VG5000_GEM\.shp: no Gemeinde with a key starting with 01999: unknown Kreis key\?/,
  'the Verband layer given as the Gemeinde layer': /VG5000_VWG\.shp: ARS "010530032" is not a 12-digit key/,
};

for (const kind of BACKENDS) {
  describe(`official import (${kind})`, () => {
    describe('each test on its own copy of the template database', () => {
      let t: TestDatabase;
      beforeEach(async () => {
        t = await openTestDatabase(kind);
      });
      afterEach(() => t.dispose());

      it('imports Herzogtum Lauenburg: 133 Gemeinden in 15 Verbände, valid, in place, with the register population', async () => {
        const demoBefore = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM regions WHERE source_key = 'demo'")).rows[0]!.n;
        const report = await importOfficial(t.db, { ...LAUENBURG, removeDemo: true });
        expect(await countsIn(t.db, '01053')).toEqual({ kreis: 1, verband: 15, gemeinde: 133 });
        expect(report).toMatchObject({ inserted: 149, updated: 0, scope: { name: 'Herzogtum Lauenburg' } });
        expect(report.match.boundaryWithoutRegister).toEqual([]);
        expect(report.match.registerWithoutBoundary).toEqual([]);

        const { rows: kinds } = await t.db.query<{ kind: string; n: number }>(
          "SELECT kind, count(*)::int AS n FROM regions WHERE level = 'verband' AND ars LIKE '01053%' GROUP BY kind ORDER BY kind");
        expect(kinds).toEqual([{ kind: 'Amt', n: 8 }, { kind: 'Amtsfreie Gemeinde', n: 7 }]);
        const sachsenwald = await t.db.query<{ population: number }>("SELECT population FROM regions WHERE level = 'verband' AND name LIKE 'Sachsenwald%'");
        expect(sachsenwald.rows).toEqual([{ population: 0 }]);

        const { rows: [geo] } = await t.db.query<{ valid: boolean; xmin: number; xmax: number; ymin: number; ymax: number }>(`
          SELECT bool_and(ST_IsValid(geom)) AS valid, min(ST_XMin(geom)) AS xmin, max(ST_XMax(geom)) AS xmax,
                 min(ST_YMin(geom)) AS ymin, max(ST_YMax(geom)) AS ymax
            FROM regions WHERE ars LIKE '01053%' AND source_key = 'bkg-vg5000'`);
        expect(geo!.valid).toBe(true);
        expect([geo!.xmin, geo!.ymin]).toEqual([expect.toSatisfy((x: number) => x >= 10.2), expect.toSatisfy((y: number) => y >= 53.3)]);
        expect([geo!.xmax, geo!.ymax]).toEqual([expect.toSatisfy((x: number) => x <= 11.0), expect.toSatisfy((y: number) => y <= 53.9)]);

        const { rows: [pop] } = await t.db.query<{ gemeinden: number; kreis: number; bad_verbaende: number; orphans: number; dated: number }>(`
          SELECT (SELECT sum(population)::int FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%') AS gemeinden,
                 (SELECT population FROM regions WHERE level = 'kreis' AND ars = '010530000000') AS kreis,
                 (SELECT count(*)::int FROM regions v WHERE v.level = 'verband' AND v.ars LIKE '01053%'
                    AND v.population IS DISTINCT FROM (SELECT sum(g.population)::int FROM regions g WHERE g.parent_id = v.id)) AS bad_verbaende,
                 (SELECT count(*)::int FROM regions WHERE level IN ('gemeinde', 'verband') AND ars LIKE '01053%' AND parent_id IS NULL) AS orphans,
                 (SELECT count(*)::int FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%' AND population_date = '2019-12-31') AS dated`);
        expect(pop).toEqual({ gemeinden: registerSum('01053'), kreis: 198019, bad_verbaende: 0, orphans: 0, dated: 133 });
        expect(report.match.matchedPopulation).toBe(198019);

        const { rows: sources } = await t.db.query("SELECT key, attribution, licence, licence_url, reference_date FROM data_sources WHERE key <> 'demo' ORDER BY key");
        expect(sources).toEqual([
          { key: 'bkg-vg5000', attribution: '© GeoBasis-DE / BKG 2021', licence: 'Datenlizenz Deutschland – Namensnennung – Version 2.0', licence_url: 'https://www.govdata.de/dl-de/by-2-0', reference_date: null },
          { key: 'destatis-gv', attribution: '© Statistisches Bundesamt (Destatis), 2020', licence: 'Datenlizenz Deutschland – Namensnennung – Version 2.0', licence_url: 'https://www.govdata.de/dl-de/by-2-0', reference_date: '2019-12-31' },
        ]);
        // The dataset facts are derived per district (/api/meta); the import writes no global flag,
        // and --remove-demo took the demo's facts with the demo district, in the same transaction.
        expect((await t.db.query("SELECT value FROM app_meta WHERE key = 'dataset'")).rows).toEqual([]);
        expect(demoBefore).toBeGreaterThan(0);
        expect(report.demo_regions).toBe(0);
        expect(Object.values(report.demo_removed!.regions).reduce((a, b) => a + b, 0)).toBe(demoBefore);
      });

      it('changes nothing when run twice', async () => {
        await writeImport(t.db, lauenburg, { removeDemo: true });
        const before = await checksum(t.db);
        // The demo is gone: the second run needs no flag.
        const second = await writeImport(t.db, lauenburg);
        expect([second.inserted, second.updated]).toEqual([0, 0]);
        expect(second.levels.map((l) => l.rows)).toEqual([1, 15, 133]);
        expect(await checksum(t.db)).toBe(before);
      });

      it('imports all of Schleswig-Holstein and reports its counts and unmatched keys', async () => {
        const report = await importOfficial(t.db, { ...FILES, scope: { level: 'land', key: '01' }, removeDemo: true });
        const counts = await countsIn(t.db, '01');
        expect(counts).toEqual({ land: 1, kreis: 15, verband: 172, gemeinde: 1108 });
        expect(report.levels.map((l) => [l.level, l.rows])).toEqual([['land', 1], ['kreis', 15], ['verband', 172], ['gemeinde', 1108]]);
        // Between 31.12.2019 and 01.01.2021 no Gemeinde of Schleswig-Holstein merged: everything matches.
        expect(report.match.boundaryWithoutRegister).toEqual([]);
        expect(report.match.registerWithoutBoundary).toEqual([]);
        expect(report.not_in_new_data).toEqual([]);
        const { rows: [land] } = await t.db.query<{ population: number; valid: boolean; kreise_linked: number }>(`
          SELECT l.population, (SELECT bool_and(ST_IsValid(geom)) FROM regions WHERE ars LIKE '01%') AS valid,
                 (SELECT count(*)::int FROM regions k WHERE k.level = 'kreis' AND k.parent_id = l.id) AS kreise_linked
            FROM regions l WHERE l.level = 'land' AND l.ars = '010000000000'`);
        expect(land).toEqual({ population: registerSum('01'), valid: true, kreise_linked: 15 });
      });

      it('takes Kreis and Land polygons from their layers and drops the Land layer\'s coastal water (Geofaktor 8)', async () => {
        const report = await importOfficial(t.db, {
          ...FILES, scope: { level: 'land', key: '01' }, kreise: join(VG, 'VG5000_KRS.shp'), landBoundaries: join(VG, 'VG5000_LAN.shp'), removeDemo: true,
        });
        expect(report.match.waterDropped).toEqual({ [join(VG, 'VG5000_LAN.shp')]: 1 });
        const { rows } = await t.db.query<{ level: string; km2: number }>(
          "SELECT level, round(sum(area_km2))::int AS km2 FROM regions WHERE ars LIKE '01%' AND source_key = 'bkg-vg5000' GROUP BY level ORDER BY level");
        // Land area only: about 15,600 km² (the coastal waters would add about 9,900 km²).
        expect(rows).toEqual(['gemeinde', 'kreis', 'land', 'verband'].map((level) => ({ level, km2: 15621 })));
      });

      it('reports mergers: the register Gemeinden that are now part of a new Gemeinde (Kyffhäuserkreis)', async () => {
        const report = await importOfficial(t.db, { ...FILES, scope: { level: 'kreis', key: '16065' }, removeDemo: true });
        expect(report.match.boundaryWithoutRegister).toEqual([{ key: '16065089', name: 'Greußen' }]);
        expect(report.register_located.map((l) => [l.key, l.now_in?.ags])).toEqual(
          expect.arrayContaining([['16065023', '16065089'], ['16065082', '16065089'], ['16065084', '16065089']]));
        const greussen = await t.db.query("SELECT population FROM regions WHERE level = 'gemeinde' AND ags = '16065089'");
        expect(greussen.rows).toEqual([{ population: null }]);
      });

      it('writes nothing in a dry run but reports what it would do', async () => {
        const before = await checksum(t.db);
        const report = await writeImport(t.db, lauenburg, { dryRun: true, removeDemo: true });
        expect(report).toMatchObject({ dry_run: true, inserted: 149, updated: 0, demo_removed: { kreise: ['010990000000'] } });
        expect(await checksum(t.db)).toBe(before);
      });

      it('rolls everything back when the database refuses a row after earlier levels were written', async () => {
        const before = await checksum(t.db);
        const broken = structuredClone(lauenburg);
        broken.build.levels.at(-1)!.rows.at(-1)!.name = 'x'.repeat(201); // violates the name length check
        await expect(writeImport(t.db, broken, { removeDemo: true })).rejects.toThrow(/check constraint/);
        expect(await checksum(t.db)).toBe(before);
      });

      // A child process that opens the database, migrates, removes the demo and imports: slow on a loaded machine.
      it('runs as a command: exit code 0 and a report', { timeout: 180_000 }, async () => {
        if (kind === 'embedded') await t.db.close(); // the embedded database admits one process: the command's
        const env = cliEnv(t);
        const run = await runCli(['--kreis', '01053', ...CLI_ARGS, '--remove-demo'], env);
        expect(run.stderr).not.toMatch(/failed/);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/Official import of Kreis Herzogtum Lauenburg \(01053\): written in one transaction/);
        expect(run.stdout).toMatch(/gemeinde\s+133\s+133\s+0/);
        expect(run.stdout).toMatch(/Population 31\.12\.2019: 198,019 in 133 of 133 Gemeinden/);
        expect(run.stdout).toMatch(/Register Gemeinden without a boundary feature \(not imported\): 0/);
        expect(run.stdout).toMatch(/Demo district 010990000000: removed/);
        const db = await openDatabase(kind === 'embedded' ? { pgliteDir: join(t.dataDir!, 'pglite') } : { databaseUrl: t.url!, pgliteDir: '' });
        try {
          expect(await countsIn(db, '01053')).toEqual({ kreis: 1, verband: 15, gemeinde: 133 });
        } finally {
          await db.close();
        }
        if (kind === 'embedded') expect(existsSync(join(t.dataDir!, 'server.pid'))).toBe(false);
      });

      it('as a command, exits non-zero naming a missing file', async () => {
        if (kind === 'embedded') await t.db.close();
        const env = cliEnv(t);
        const missing = join(tmp, 'nowhere', 'gv.csv');
        const run = await runCli(['--kreis', '01053', ...CLI_ARGS.slice(0, 4), '--population', missing], env);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`import failed, nothing written: ${missing}: file not found`);
      });

      it.runIf(kind === 'embedded')('as a command, refuses while the app server holds the embedded database', async () => {
        await t.db.close();
        await writeFile(join(t.dataDir!, 'server.pid'), String(process.pid)); // a live process other than the command
        const run = await runCli(['--kreis', '01053', ...CLI_ARGS], { DATA_DIR: t.dataDir!, DATABASE_URL: '' });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`in use by process ${process.pid}.*is the app server running`));
      });
    });

    // One database for all bad inputs: each must leave it exactly as it was.
    describe('bad input', () => {
      let shared: TestDatabase;
      beforeAll(async () => {
        shared = await openTestDatabase(kind);
        await writeImport(shared.db, lauenburg, { removeDemo: true });
      });
      afterAll(() => shared.dispose());

      it.each(Object.keys(BAD_MESSAGES))('refuses %s with a message naming the file, and writes nothing', async (name) => {
        const before = await checksum(shared.db);
        await expect(importOfficial(shared.db, { ...LAUENBURG, ...bad[name] })).rejects.toThrow(BAD_MESSAGES[name]!);
        expect(await checksum(shared.db)).toBe(before);
      });
    });
  });
}
