import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { unitInputs } from '../../../server/src/repositories/allocation-inputs.repository.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';

// The labour-market and health criteria count offers within reach of a unit. An offer of the
// fictional demo district never counts for a real unit (and a real one never for the demo),
// even where the two lie side by side: issue 15, "never measure to offers of another data set".
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const KREIS = '010530000000';

for (const kind of BACKENDS) {
  describe(`allocation inputs count offers of the unit's own data set only, on ${kind}`, () => {
    let t: TestDatabase;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await importOfficial(t.db, {
        scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
        population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'), keepDemo: true,
      });
    }, 120_000);
    afterAll(() => t?.dispose());

    const labour = async (ars: string) => (await unitInputs(t.db, KREIS, 2026)).find((u) => u.key === ars)!.criteria.labour_market ?? 0;

    it('counts a real offer inside a real unit, and not once the offer belongs to the demo district', async () => {
      const { rows: [unit] } = await t.db.query<{ ars: string; lon: number; lat: number }>(`
        SELECT v.ars, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat
          FROM regions v JOIN regions g ON g.parent_id = v.id AND g.level = 'gemeinde'
         WHERE v.level = 'verband' AND v.ars LIKE '01053%' AND g.population > 0
         ORDER BY v.ars, g.ars LIMIT 1`);
      const before = await labour(unit!.ars);
      const { rows: [offer] } = await t.db.query<{ id: number }>(
        "INSERT INTO offers (category_key, name, geom) VALUES ('arbeit', 'Jobcenter-Sprechstunde', ST_SetSRID(ST_MakePoint($1, $2), 4326)) RETURNING id",
        [unit!.lon, unit!.lat]);
      expect(await labour(unit!.ars)).toBe(before + 1);

      // The same point, but an offer of the demo district (its region is a demo Gemeinde).
      await t.db.query(`
        UPDATE offers SET region_id = (SELECT id FROM regions WHERE source_key = 'demo' AND level = 'gemeinde' ORDER BY ars LIMIT 1)
         WHERE id = $1`, [offer!.id]);
      expect(await labour(unit!.ars)).toBe(before);
    });
  });
}
