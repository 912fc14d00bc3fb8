// Coverage: all 1,108 Gemeinden of Schleswig-Holstein (the official import) against 100,000
// generated offers. The nearest-offer search as the API runs it (KNN on offers_geog_idx) divided
// by the same statement with index and bitmap scans switched off, i.e. comparing every pair
// (goal well below 0.1), on the embedded database and on PostgreSQL; then the Ministry's views at
// Land level over the app (land-views.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { importOfficial } from '../../server/src/import/import-official.ts';
import { coverageTable, type CoverageFilter } from '../../server/src/repositories/coverage.repository.ts';
import { emptyPostgres, median, ms, onEachBackend, ratio, ROOT, row } from './harness.ts';
import { benchLandViews } from './land-views.ts';

const OFFERS = 100_000;
const OFFICIAL = join(ROOT, '..', 'shared', 'data', 'official');
const VG = join(OFFICIAL, 'bkg-vg5000-2021');
const FILTER: CoverageFilter = { category: 'sprache', subcategory: null, freeOnly: false, regionPrefix: null, districts: null };
const THRESHOLDS = [5, 10, 20];

interface Fresh {
  db: Database;
  kind: 'embedded' | 'postgres';
  dispose(): Promise<void>;
}

// Migrated but without the demo district: only the official regions.
async function embedded(): Promise<Fresh> {
  const dir = await mkdtemp(join(tmpdir(), 'ilk-bench-cov-'));
  const db = await openDatabase({ pgliteDir: join(dir, 'pglite') });
  return { db, kind: 'embedded', dispose: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function postgres(): Promise<Fresh | null> {
  // The scan without the index takes longer than the app's default statement timeout.
  const fresh = await emptyPostgres(`ilk_bench_cov_${process.pid}`);
  return fresh && { db: fresh.db, kind: 'postgres', dispose: fresh.dispose };
}

// Random points in inhabited Gemeinden, categories drawn independently of the place
// (setseed makes the run reproducible; it holds for the transaction's connection). Where
// ST_GeneratePoints finds no room (a sliver of a polygon), the label point stands in.
const GENERATE = `
  WITH g AS (SELECT row_number() OVER (ORDER BY ars) - 1 AS n, geom, label_point FROM regions WHERE level = 'gemeinde' AND population > 0),
       c AS (SELECT count(*) AS total FROM g)
  INSERT INTO offers (category_key, name, places_total, places_free, geom)
  SELECT (ARRAY['sprache','arbeit','wohnen','betreuung_bildung','gesundheit','beratung','einbuergerung','ehrenamt_freizeit'])[1 + floor(random() * 8)::int],
         'Angebot ' || i, 20, floor(random() * 5)::int, coalesce(p.geom, g.label_point)
    FROM generate_series(1, $1::int) i CROSS JOIN c JOIN g ON g.n = (i * 7919) % c.total
    LEFT JOIN LATERAL (SELECT (ST_Dump(ST_GeneratePoints(g.geom, 1, i))).geom) p ON true`;

async function prepare(db: Database): Promise<{ importMs: number; generateMs: number }> {
  await migrate(db, join(ROOT, 'migrations'));
  const t0 = performance.now();
  await importOfficial(db, {
    scope: { level: 'land', key: '01' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
    population: join(OFFICIAL, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
  });
  const t1 = performance.now();
  await db.transaction(async (tx) => {
    await tx.query('SELECT setseed(0.42)');
    await tx.query(GENERATE, [OFFERS]);
  });
  await db.exec('ANALYZE offers; ANALYZE regions');
  return { importMs: t1 - t0, generateMs: performance.now() - t1 };
}

const coverage = (db: Parameters<typeof coverageTable>[0]) => coverageTable(db, 'land', FILTER, THRESHOLDS);

async function measure(f: Fresh): Promise<void> {
  const { importMs, generateMs } = await prepare(f.db);
  const { rows: [count] } = await f.db.query<{ gemeinden: number; offers: number }>(
    "SELECT (SELECT count(*) FROM regions WHERE level = 'gemeinde') AS gemeinden, (SELECT count(*) FROM offers) AS offers");
  row(`${f.kind}: import of Schleswig-Holstein, ${count!.gemeinden.toLocaleString('en')} Gemeinden`, ms(importMs));
  row(`${f.kind}: ${count!.offers.toLocaleString('en')} generated offers`, ms(generateMs));
  const knnRows = await coverage(f.db);
  const knnMs = await median(5, () => coverage(f.db));
  // SET LOCAL lasts until the transaction ends: the same statement, planned without the index.
  const { scanMs, scanRows } = await f.db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off');
    return { scanMs: await median(1, () => coverage(tx)), scanRows: await coverage(tx) };
  });
  const same = JSON.stringify(knnRows) === JSON.stringify(scanRows);
  row(`${f.kind}: coverage, KNN on offers_geog_idx (median of 5)`, ms(knnMs), `${knnRows[0]?.gemeinden ?? 0} Gemeinden measured`);
  row(`${f.kind}: the same without index and bitmap scans`, ms(scanMs), same ? 'same result' : 'RESULTS DIFFER');
  row(`${f.kind}: KNN / scan`, ratio(knnMs / scanMs), 'goal well below 0.1');
  await benchLandViews(f.db, f.kind);
}

export async function benchCoverage(): Promise<void> {
  console.log(`\nCoverage: nearest offer for every Gemeinde of Schleswig-Holstein, ${OFFERS.toLocaleString('en')} offers, KNN vs full scan`);
  await onEachBackend([embedded, postgres], measure);
}
