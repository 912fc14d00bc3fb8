import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// The domain schema and the seeded demo district, checked in PostGIS itself.
for (const kind of BACKENDS) {
  describe(`schema and demo district on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
    });
    afterAll(() => t.dispose());

    const one = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows[0]!;

    it('holds one Kreis with 10-15 Verbände and about 100 Gemeinden', async () => {
      const r = await one<{ k: number; v: number; g: number }>(`
        SELECT count(*) FILTER (WHERE level = 'kreis') AS k, count(*) FILTER (WHERE level = 'verband') AS v,
               count(*) FILTER (WHERE level = 'gemeinde') AS g FROM regions`);
      expect(r.k).toBe(1);
      expect(r.v).toBeGreaterThanOrEqual(10);
      expect(r.v).toBeLessThanOrEqual(15);
      expect(r.g).toBeGreaterThanOrEqual(90);
      expect(r.g).toBeLessThanOrEqual(110);
    });

    it('has valid geometries that tile the Kreis with no gaps or overlaps', async () => {
      const r = await one<{ invalid: number; kreis: number; union_area: number; sum_area: number; gap: number }>(`
        WITH k AS (SELECT geom FROM regions WHERE level = 'kreis'),
             g AS (SELECT geom FROM regions WHERE level = 'gemeinde')
        SELECT (SELECT count(*) FROM regions WHERE NOT ST_IsValid(geom)) AS invalid,
               (SELECT ST_Area(geom::geography) FROM k) AS kreis,
               (SELECT ST_Area(ST_Union(geom)::geography) FROM g) AS union_area,
               (SELECT sum(ST_Area(geom::geography)) FROM g) AS sum_area,
               (SELECT ST_Area(ST_Difference((SELECT geom FROM k), (SELECT ST_Union(geom) FROM g))::geography)) AS gap`);
      expect(r.invalid).toBe(0);
      // Overlaps make the sum exceed the union; gaps make the union fall short of the Kreis.
      expect(Math.abs(r.sum_area - r.union_area) / r.kreis).toBeLessThan(1e-6);
      expect(r.gap / r.kreis).toBeLessThan(1e-6);
      expect(Math.abs(r.union_area - r.kreis) / r.kreis).toBeLessThan(1e-6);
    });

    it('sums population upwards: each Verband is the sum of its Gemeinden, the Kreis of its Verbände', async () => {
      const bad = await t.db.query(`
        SELECT p.ars FROM regions p JOIN regions c ON c.parent_id = p.id
         WHERE p.level IN ('kreis', 'verband') GROUP BY p.id, p.ars, p.population
        HAVING p.population IS DISTINCT FROM sum(c.population)`);
      expect(bad.rows).toEqual([]);
      const r = await one<{ kreisstadt: number; empty: number }>(`
        SELECT max(population) FILTER (WHERE level = 'gemeinde') AS kreisstadt,
               count(*) FILTER (WHERE level = 'verband' AND population = 0) AS empty FROM regions`);
      expect(r.kreisstadt).toBeGreaterThan(25_000);
      expect(r.kreisstadt).toBeLessThan(35_000);
      expect(r.empty).toBe(1);
    });

    it('derives each offer\'s Gemeinde spatially, also after a move', async () => {
      const r = await one<{ n: number; mismatched: number; categories: number }>(`
        SELECT count(*) AS n, count(DISTINCT o.category_key) AS categories,
               count(*) FILTER (WHERE r.id IS NULL OR NOT ST_Intersects(r.geom, o.geom)) AS mismatched
          FROM offers o LEFT JOIN regions r ON r.id = o.region_id`);
      expect(r.n).toBeGreaterThanOrEqual(350);
      expect(r.categories).toBe(8);
      expect(r.mismatched).toBe(0);
      // Move one offer to another Gemeinde's label point: the trigger re-derives its region.
      const target = await one<{ id: number; lon: number; lat: number }>(`
        SELECT id, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions
         WHERE level = 'gemeinde' AND id <> (SELECT region_id FROM offers ORDER BY id LIMIT 1) ORDER BY ars LIMIT 1`);
      const moved = await one<{ region_id: number }>(`
        UPDATE offers SET geom = ST_SetSRID(ST_MakePoint($1, $2), 4326)
         WHERE id = (SELECT min(id) FROM offers) RETURNING region_id`, [target.lon, target.lat]);
      expect(moved.region_id).toBe(target.id);
    });

    it('keeps capacity reports as append-only history', async () => {
      const r = await one<{ missing: number; with_history: number }>(`
        SELECT (SELECT count(*) FROM regions v WHERE v.level = 'verband'
                 AND NOT EXISTS (SELECT 1 FROM capacity_reports c WHERE c.region_id = v.id)) AS missing,
               (SELECT count(*) FROM (SELECT region_id FROM capacity_reports GROUP BY region_id HAVING count(*) > 1) h) AS with_history`);
      expect(r.missing).toBe(0);
      expect(r.with_history).toBeGreaterThan(0);
      await expect(t.db.query('UPDATE capacity_reports SET housing_free = 0')).rejects.toThrow(/append-only/);
    });

    it('rejects data that breaks the domain rules', async () => {
      const region = await one<{ id: number }>("SELECT id FROM regions WHERE level = 'gemeinde' LIMIT 1");
      await expect(t.db.query(`INSERT INTO needs (region_id, kind, title, status) VALUES ($1, 'angebotsluecke', 'x', 'unbekannt')`, [region.id])).rejects.toThrow();
      await expect(t.db.query(`INSERT INTO offers (category_key, name, places_total, places_free, geom) VALUES ('sprache', 'x', 5, 6, ST_SetSRID(ST_MakePoint(10, 54), 4326))`)).rejects.toThrow();
      await expect(t.db.query(`INSERT INTO offers (category_key, name, geom) VALUES ('unbekannt', 'x', ST_SetSRID(ST_MakePoint(10, 54), 4326))`)).rejects.toThrow();
    });

    it('seeds the eight offer categories with German and English labels and subcategories', async () => {
      const { rows } = await t.db.query<{ key: string; labels: Record<string, string>; subs: number }>(`
        SELECT c.key, c.labels, count(s.key) AS subs FROM offer_categories c
          LEFT JOIN offer_subcategories s ON s.category_key = c.key GROUP BY c.key ORDER BY min(c.sort_order)`);
      expect(rows.map((r) => r.key)).toEqual(['sprache', 'arbeit', 'wohnen', 'betreuung_bildung', 'gesundheit', 'beratung', 'einbuergerung', 'ehrenamt_freizeit']);
      for (const r of rows) expect(r.subs).toBeGreaterThan(0);
      expect(rows.find((r) => r.key === 'beratung')!.labels).toEqual({ de: 'Beratung', en: 'Counselling' });
    });
  });
}
