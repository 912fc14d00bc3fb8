import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

// Every figure at a higher level is the sum of the level below (offers, places and free places
// per category, capacities, units behind a capacity series), or its population-weighted value
// (refugees and free places per 1,000), over generated offers, needs and capacity reports, at
// Gemeinde, Amt, Kreis and Land level, on both backends. The demo district is made a Land with
// two Kreise: four of its Verbände move to a second Kreis (the hierarchy goes by parent_id; the
// rows below are read without an ARS filter, so their keys need not nest).

type Level = 'gemeinde' | 'verband' | 'kreis' | 'land';
const LEVELS: Level[] = ['gemeinde', 'verband', 'kreis', 'land'];
const CHILD: Record<Exclude<Level, 'gemeinde'>, Level> = { verband: 'gemeinde', kreis: 'verband', land: 'kreis' };

interface Stats { count: number; places_total: number; places_free: number }
interface Point { report_date: string; housing_free: number; refugees_housed: number; kita_free: number; school_free: number; language_course_free: number; intake_ytd: number; units_reported: number; units_total: number }
interface DashRow { key: string; parent_key: string | null; offers: Record<string, Stats>; open_needs: number; capacity_history: Point[] }
interface RegionProps {
  key: string; parent_key: string | null; population: number | null; offers_total: number; offers_by_category: Record<string, number>; open_needs: number;
  capacity: Record<string, number | string> | null; refugees_per_1000: number | null; housing_free_per_1000: number | null;
}

const SERIES_METRICS = ['housing_free', 'refugees_housed', 'kita_free', 'school_free', 'language_course_free', 'intake_ytd'] as const;
const CAPACITY_SUMS = ['housing_free', 'housing_free_barrier_free', 'shared_accommodation_places', 'kita_free', 'school_free', 'language_course_free', 'gp_accepting', 'refugees_housed', 'intake_ytd'] as const;
const STATUSES = ['neu', 'in_bearbeitung', 'erledigt'];

const world = fc.record({
  offers: fc.array(fc.record({ g: fc.nat(), c: fc.nat(), total: fc.option(fc.integer({ min: 0, max: 40 })), free: fc.integer({ min: 0, max: 40 }) }), { maxLength: 60 }),
  needs: fc.array(fc.record({ r: fc.nat(), status: fc.constantFrom(...STATUSES) }), { maxLength: 15 }),
  reports: fc.array(fc.record({ v: fc.nat(), day: fc.integer({ min: 0, max: 200 }), n: fc.integer({ min: 0, max: 300 }) }), { maxLength: 30 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
const sumBy = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);

for (const kind of BACKENDS) {
  describe(`aggregates add up from level to level on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ministry: ReturnType<typeof as>;
    let gemeinden: string[], verbaende: string[], all: string[], categories: string[];
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await t.db.exec(`
        INSERT INTO regions (level, ars, name, kind, population, geom, label_point)
        SELECT 'land', '010000000000', 'Demo-Land', 'Land', NULL, geom, label_point FROM regions WHERE level = 'kreis';
        INSERT INTO regions (level, ars, name, kind, population, geom, label_point)
        SELECT 'kreis', '010980000000', 'Kreis Zweitförde', 'Kreis', NULL, geom, label_point FROM regions WHERE level = 'kreis';
        UPDATE regions SET parent_id = (SELECT id FROM regions WHERE level = 'land') WHERE level = 'kreis';
        UPDATE regions SET parent_id = (SELECT id FROM regions WHERE ars = '010980000000')
         WHERE level = 'verband' AND ars IN (SELECT ars FROM regions WHERE level = 'verband' ORDER BY ars DESC LIMIT 4);
        UPDATE regions p SET population = (SELECT sum(c.population) FROM regions c WHERE c.parent_id = p.id) WHERE p.level = 'kreis';
        UPDATE regions p SET population = (SELECT sum(c.population) FROM regions c WHERE c.parent_id = p.id) WHERE p.level = 'land';`);
      const keys = async (sql: string) => (await t.db.query<{ k: string }>(sql)).rows.map((r) => r.k);
      gemeinden = await keys(`SELECT ars AS k FROM regions WHERE level = 'gemeinde' ORDER BY ars`);
      verbaende = await keys(`SELECT ars AS k FROM regions WHERE level = 'verband' ORDER BY ars`);
      all = await keys(`SELECT level || ':' || ars AS k FROM regions ORDER BY level, ars`);
      categories = await keys(`SELECT key AS k FROM offer_categories ORDER BY key`);
      app = await buildTestApp(t.db);
      ministry = as(app, await login(app, 'ministry'));
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    async function load(w: World): Promise<void> {
      await t.db.exec('DELETE FROM need_events; DELETE FROM needs; DELETE FROM offers; DELETE FROM capacity_reports');
      for (const o of w.offers) {
        await t.db.query(`INSERT INTO offers (category_key, name, places_total, places_free, geom)
                          SELECT $2, 'Angebot', $3::int, CASE WHEN $3::int IS NULL THEN $4::int ELSE least($4::int, $3::int) END, label_point
                            FROM regions WHERE level = 'gemeinde' AND ars = $1`, [gemeinden[o.g % gemeinden.length], categories[o.c % categories.length], o.total, o.free]);
      }
      for (const n of w.needs) {
        const [level, ars] = all[n.r % all.length]!.split(':');
        await t.db.query(`INSERT INTO needs (region_id, kind, title, status) SELECT id, 'angebotsluecke', 'Bedarf', $3 FROM regions WHERE level = $1 AND ars = $2`, [level, ars, n.status]);
      }
      for (const r of w.reports) {
        await t.db.query(`
          INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
                                        school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
          SELECT id, DATE '2026-01-01' + $2::int, $3, $3 / 2, $3 % 7, $3 % 11, $3 % 13, $3 % 17, $3 % 5, $3 * 3, $3 % 19
            FROM regions WHERE level = 'verband' AND ars = $1`, [verbaende[r.v % verbaende.length], r.day, r.n]);
      }
    }

    /** Open needs hung on the region itself (they count for it and its ancestors, not for its children). */
    async function ownNeeds(level: Level): Promise<Map<string, number>> {
      const { rows } = await t.db.query<{ k: string; n: number }>(`
        SELECT r.ars AS k, count(*)::int AS n FROM needs n JOIN regions r ON r.id = n.region_id
         WHERE r.level = $1 AND n.status <> 'erledigt' GROUP BY 1`, [level]);
      return new Map(rows.map((r) => [r.k, r.n]));
    }

    async function check(): Promise<void> {
      const dash = {} as Record<Level, DashRow[]>;
      const layer = {} as Record<Level, RegionProps[]>;
      for (const level of LEVELS) {
        const d = await ministry({ url: `/api/dashboard?level=${level}` });
        expect(d.statusCode).toBe(200);
        dash[level] = d.json().rows;
        const r = await ministry({ url: `/api/regions?level=${level}` });
        expect(r.statusCode).toBe(200);
        layer[level] = (r.json().features as { properties: RegionProps }[]).map((f) => f.properties);
      }
      const units = new Map(dash.verband.map((v) => [v.key, 1]));
      for (const level of ['verband', 'kreis', 'land'] as const) {
        const own = await ownNeeds(level);
        for (const parent of dash[level]) {
          const children = dash[CHILD[level]].filter((c) => c.parent_key === parent.key);
          const where = `${level} ${parent.key}`;
          for (const cat of categories) {
            for (const f of ['count', 'places_total', 'places_free'] as const) {
              expect(parent.offers[cat]?.[f] ?? 0, `${where} ${cat} ${f}`).toBe(sumBy(children, (c) => c.offers[cat]?.[f] ?? 0));
            }
          }
          expect(parent.open_needs, `${where} open needs`).toBe(sumBy(children, (c) => c.open_needs) + (own.get(parent.key) ?? 0));
          if (level === 'verband') continue;
          // The latest point of a series sums the children's latest points, over their units.
          const lasts = children.map((c) => c.capacity_history.at(-1)).filter((p) => p !== undefined);
          const last = parent.capacity_history.at(-1);
          expect(last === undefined, `${where} has a series`).toBe(lasts.length === 0);
          if (last) {
            for (const m of SERIES_METRICS) expect(last[m], `${where} ${m}`).toBe(sumBy(lasts, (p) => p[m]));
            expect(last.units_reported).toBe(sumBy(lasts, (p) => p.units_reported));
            expect(last.report_date).toBe(lasts.map((p) => p.report_date).sort().at(-1));
          }
          units.set(parent.key, sumBy(children, (c) => units.get(c.key) ?? 0));
          for (const p of parent.capacity_history) {
            expect(p.units_reported, `${where} the same units at every point`).toBe(last!.units_reported);
            expect(p.units_total, `${where} units`).toBe(units.get(parent.key));
          }
        }
      }
      for (const level of ['verband', 'kreis', 'land'] as const) {
        const own = await ownNeeds(level);
        for (const parent of layer[level]) {
          const children = layer[CHILD[level]].filter((c) => c.parent_key === parent.key);
          const where = `region layer ${level} ${parent.key}`;
          expect(parent.population, `${where} population`).toBe(sumBy(children, (c) => c.population ?? 0));
          expect(parent.offers_total, `${where} offers`).toBe(sumBy(children, (c) => c.offers_total));
          for (const cat of categories) expect(parent.offers_by_category[cat] ?? 0, `${where} ${cat}`).toBe(sumBy(children, (c) => c.offers_by_category[cat] ?? 0));
          expect(parent.open_needs, `${where} open needs`).toBe(sumBy(children, (c) => c.open_needs) + (own.get(parent.key) ?? 0));
          if (level === 'verband') {
            // Capacities exist per Verband; their Gemeinden carry none (the registry's levels say so).
            expect(children.every((c) => c.capacity === null && c.refugees_per_1000 === null && c.housing_free_per_1000 === null)).toBe(true);
            continue;
          }
          const reported = children.filter((c) => c.capacity !== null);
          expect(parent.capacity === null, `${where} capacity`).toBe(reported.length === 0);
          if (!parent.capacity) continue;
          for (const f of CAPACITY_SUMS) expect(parent.capacity[f], `${where} ${f}`).toBe(sumBy(reported, (c) => c.capacity![f] as number));
          // Rates per 1,000: the reported counts over the population of the units that reported, that
          // is the population-weighted mean of the children's rates (a unit without inhabitants, a
          // gemeindefreies Gebiet, has no rate of its own but its refugees still count).
          // The Land's weights are its Kreise's reporting units, so it is checked against those.
          const units = level === 'land' ? layer.verband.filter((v) => v.capacity && children.some((k) => k.key === v.parent_key)) : reported;
          const population = sumBy(units, (c) => c.population ?? 0);
          for (const [rate, count] of [['refugees_per_1000', 'refugees_housed'], ['housing_free_per_1000', 'housing_free']] as const) {
            if (population === 0) expect(parent[rate], `${where} ${rate}`).toBeNull();
            else expect(parent[rate], `${where} ${rate}`).toBeCloseTo(sumBy(units, (c) => c.capacity![count] as number) * 1000 / population, 1);
            if (level === 'kreis') for (const c of reported.filter((x) => x.population)) expect(c[rate]).toBeCloseTo((c.capacity![count] as number) * 1000 / c.population!, 1);
          }
        }
      }
    }

    it('over generated offers, needs and capacity reports', { timeout: 600_000 }, async () => {
      await fc.assert(fc.asyncProperty(world, async (w) => {
        await load(w);
        await check();
      }), { numRuns: 12, seed: 17, endOnFailure: true });
    });
  });
}
