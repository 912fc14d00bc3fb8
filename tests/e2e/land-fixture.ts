import { join } from 'node:path';
import type { Database } from '../../server/src/db/index.ts';
import { importOfficial } from '../../server/src/import/import-official.ts';
import { addUser } from '../../server/src/seed/accounts.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';

// Schleswig-Holstein as a Ministry would run it: every Kreis from the official open data
// (BKG VG5000 + Destatis, read from ../shared), no demo district, deterministic offers, needs and
// capacity reports spread over several Kreise, and one account per role plus two coordinators of
// one Kreis each. Shared by the end-to-end tests at Land level.

const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
export const LAND = '010000000000';
/** Kiel (kreisfreie Stadt) and Herzogtum Lauenburg: the two coordinators' Kreise. */
export const KIEL = '010020000000';
export const LAUENBURG = '010530000000';
export const KIEL_COORDINATOR = 'koordination-kiel@land.test';
export const LAUENBURG_COORDINATOR = 'koordination-lauenburg@land.test';

// Each Kreis's inhabited Gemeinden in ARS order; offer i goes to a Kreis chosen by i and to
// a Gemeinde in it, at a point ST_GeneratePoints draws with seed i (the label point where the
// polygon leaves no room). Einbürgerung only in four Kreise, so it has white spots at Land level.
const OFFERS = `
  WITH g AS (
    SELECT ars, left(ars, 5) AS kreis, geom, label_point,
           row_number() OVER (PARTITION BY left(ars, 5) ORDER BY ars) - 1 AS n,
           count(*) OVER (PARTITION BY left(ars, 5)) AS total
      FROM regions WHERE level = 'gemeinde' AND population > 0),
  k AS (SELECT kreis, row_number() OVER (ORDER BY kreis) - 1 AS n FROM (SELECT DISTINCT kreis FROM g) x),
  cats AS (SELECT array_agg(key ORDER BY sort_order) AS keys FROM offer_categories),
  o AS (
    SELECT i, (SELECT keys FROM cats)[1 + i % 8] AS category, k.kreis
      FROM generate_series(0, $1::int - 1) i JOIN k ON k.n = (i * 7) % (SELECT count(*) FROM k))
  INSERT INTO offers (category_key, name, places_total, places_free, geom)
  SELECT o.category, 'Angebot ' || o.i, 10 + o.i % 15, (o.i / 8) % 4,
         coalesce((SELECT (ST_Dump(ST_GeneratePoints(g.geom, 1, o.i + 1))).geom), g.label_point)
    FROM o JOIN g ON g.kreis = o.kreis AND g.n = (o.i * 13) % g.total
   WHERE o.category <> 'einbuergerung' OR o.kreis IN ('01002', '01003', '01053', '01058')`;

// Open needs in three Kreise, and two capacity reports for one Verband of each Kreis.
const NEEDS = `
  INSERT INTO needs (region_id, category_key, kind, title, priority)
  SELECT r.id, 'sprache', 'angebotsluecke', 'Sprachkurs fehlt in ' || r.name, 'hoch'
    FROM regions r WHERE r.level = 'gemeinde' AND r.ars IN (
      SELECT min(ars) FROM regions WHERE level = 'gemeinde' AND left(ars, 5) IN ('01002', '01053', '01061') GROUP BY left(ars, 5))`;
const CAPACITY = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places,
                                kita_free, school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
  SELECT v.id, d.day, 10 + d.n * 2, 1, 5, 3, 4, 6, 2, 20 + d.n, 5 * d.n
    FROM (SELECT DISTINCT ON (left(ars, 5)) id FROM regions WHERE level = 'verband' ORDER BY left(ars, 5), ars) v
   CROSS JOIN (VALUES (DATE '2025-01-01', 1), (DATE '2025-04-01', 2)) d(day, n)`;

export async function prepareLand(db: Database, offers = 240): Promise<void> {
  await importOfficial(db, {
    scope: { level: 'land', key: '01' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
    population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
  });
  await db.query(OFFERS, [offers]);
  await db.exec(`${NEEDS}; ${CAPACITY}; ANALYZE`);
  for (const role of ['admin', 'ministry', 'analyst'] as const) {
    await addUser(db, { email: `${role}@demo.local`, password: 'demo', role }, false);
  }
  await addUser(db, { email: KIEL_COORDINATOR, password: 'demo', role: 'coordinator', display_name: 'Koordination Kiel', districts: [KIEL] }, false);
  await addUser(db, { email: LAUENBURG_COORDINATOR, password: 'demo', role: 'coordinator', display_name: 'Koordination Lauenburg', districts: [LAUENBURG] }, false);
}
