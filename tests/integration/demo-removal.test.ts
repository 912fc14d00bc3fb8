import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Queryable } from '../../server/src/db/index.ts';
import { importOfficial, prepareImport, writeImport, type ImportOptions, type PreparedImport } from '../../server/src/import/import-official.ts';
import { loadConfig } from '../../server/src/config.ts';
import { addUser, ensureInitialAccounts } from '../../server/src/seed/accounts.ts';
import { removeDemo, removedNothing } from '../../server/src/services/demo.service.ts';
import { buildTestApp } from '../helpers/app.ts';
import { as, login, type Session } from '../helpers/auth.ts';
import { OFFICIAL_DIR, ROOT } from '../helpers/paths.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Real data and the demo never mix: the demo district (Kreis Demo-Förde, source 'demo') is removed
// with everything hanging on it and nothing else, the official import refuses to write beside it
// unless asked to remove it, /api/meta states facts per district, and coverage never measures a
// Gemeinde to an offer of the other data set. Official data: Herzogtum Lauenburg from ../shared.

const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const LAUENBURG: ImportOptions = {
  scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
  population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
};
const DEMO_KREIS = '010990000000';
const LAUENBURG_KREIS = '010530000000';
const DEMO_EMAILS = ['admin@demo.local', 'coordinator@demo.local', 'ministry@demo.local', 'analyst@demo.local', 'partner@demo.local'];
const silent = { info() {}, warn() {}, error() {} } as never;

const one = async <T>(db: Queryable, sql: string, params: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, params)).rows[0]!;
const n = async (db: Queryable, sql: string, params: unknown[] = []) => (await one<{ n: number }>(db, sql, params)).n;
const demoRegions = (db: Queryable) => n(db, "SELECT count(*)::int AS n FROM regions WHERE source_key = 'demo'");
const demoUsers = (db: Queryable) => n(db, 'SELECT count(*)::int AS n FROM users WHERE email = ANY($1)', [DEMO_EMAILS]);

// Every row outside the demo, by table: what a removal must leave exactly as it was.
const OFFICIAL_ROWS = `
  WITH demo AS (SELECT id FROM regions WHERE source_key = 'demo')
  SELECT (SELECT count(*)::int FROM regions WHERE source_key IS DISTINCT FROM 'demo') AS regions,
         (SELECT md5(string_agg(concat_ws('|', ars, level, name, population, parent_id, md5(ST_AsBinary(geom))), ',' ORDER BY level, ars))
            FROM regions WHERE source_key IS DISTINCT FROM 'demo') AS regions_md5,
         (SELECT count(*)::int FROM offers WHERE region_id IS NULL OR region_id NOT IN (SELECT id FROM demo)) AS offers,
         (SELECT count(*)::int FROM providers WHERE name LIKE 'Real %') AS providers,
         (SELECT count(*)::int FROM needs WHERE region_id NOT IN (SELECT id FROM demo)) AS needs,
         (SELECT count(*)::int FROM need_events e JOIN needs x ON x.id = e.need_id WHERE x.region_id NOT IN (SELECT id FROM demo)) AS need_events,
         (SELECT count(*)::int FROM capacity_reports WHERE region_id NOT IN (SELECT id FROM demo)) AS capacity_reports,
         (SELECT count(*)::int FROM allocation_plans WHERE kreis_id NOT IN (SELECT id FROM demo)) AS plans,
         (SELECT count(*)::int FROM allocation_intakes WHERE unit_id NOT IN (SELECT id FROM demo)) AS intakes,
         (SELECT count(*)::int FROM users WHERE email <> ALL($1)) AS users,
         (SELECT count(*)::int FROM user_districts WHERE region_id NOT IN (SELECT id FROM demo)) AS user_districts,
         (SELECT count(*)::int FROM data_sources WHERE key <> 'demo') AS data_sources,
         (SELECT count(*)::int FROM audit_log) AS audit`;

// Real things beside the demo, and real things that demo accounts touched: a provider with offers in
// both, a need with an event by the demo coordinator, a plan on the real Kreis decided by the demo
// coordinator, a real coordinator who may also edit the demo Kreis, and a decided demo plan.
async function populate(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO providers (name) VALUES ('Real Sprachschule'), ('Real Träger beider Kreise');
    INSERT INTO offers (category_key, name, provider_id, geom)
    SELECT 'sprache', 'Real Kurs ' || i, (SELECT id FROM providers WHERE name = 'Real Sprachschule'), g.label_point
      FROM generate_series(1, 3) i JOIN LATERAL (SELECT label_point FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%' ORDER BY ars OFFSET i LIMIT 1) g ON true;
    INSERT INTO offers (category_key, name, provider_id, geom)
    SELECT 'arbeit', 'Real Beratung ' || r.level, (SELECT id FROM providers WHERE name = 'Real Träger beider Kreise'), r.label_point
      FROM regions r WHERE r.level = 'gemeinde' AND r.ars IN ((SELECT min(ars) FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%'),
                                                              (SELECT min(ars) FROM regions WHERE level = 'gemeinde' AND source_key = 'demo'));
    INSERT INTO needs (region_id, category_key, kind, title, priority, reported_by_user_id)
    SELECT id, 'sprache', 'angebotsluecke', 'Real Bedarf', 'hoch', (SELECT id FROM users WHERE email = 'partner@demo.local')
      FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%' ORDER BY ars LIMIT 1;
    INSERT INTO need_events (need_id, user_id, kind, text)
    SELECT id, (SELECT id FROM users WHERE email = 'coordinator@demo.local'), 'comment', 'gesehen' FROM needs WHERE title = 'Real Bedarf';
    INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places,
                                  kita_free, school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
    SELECT id, DATE '2025-01-01', 10, 1, 5, 3, 4, 6, 2, 20, 5 FROM regions WHERE level = 'verband' AND ars LIKE '01053%' ORDER BY ars LIMIT 2;
    INSERT INTO allocation_plans (kreis_id, name, mode, period, inputs, result, status, created_by, decided_by, decided_at)
    SELECT k.id, p.name, 'aggregate', 2025, '{}', '{}', 'decided', u.id, u.id, now()
      FROM regions k CROSS JOIN (SELECT id FROM users WHERE email = 'coordinator@demo.local') u
      JOIN (VALUES ('${LAUENBURG_KREIS}', 'Real Plan'), ('${DEMO_KREIS}', 'Demo Plan')) p(ars, name) ON p.ars = k.ars
     WHERE k.level = 'kreis';
    INSERT INTO allocation_intakes (plan_id, unit_id, persons, period, decided_at)
    SELECT p.id, v.id, 7, 2025, p.decided_at FROM allocation_plans p
      JOIN regions k ON k.id = p.kreis_id
      JOIN LATERAL (SELECT id FROM regions v WHERE v.level = 'verband' AND left(v.ars, 5) = left(k.ars, 5) ORDER BY ars LIMIT 1) v ON true;
    INSERT INTO api_tokens (user_id, name, token_hash, prefix)
    SELECT id, 'QGIS', md5(email), 'ilk_abc' FROM users WHERE email = 'analyst@demo.local';`);
  await addUser(db, { email: 'k.meier@kreis-rz.example', password: 'x', role: 'coordinator', districts: [LAUENBURG_KREIS, DEMO_KREIS] }, false);
}

async function checksum(db: Queryable): Promise<string> {
  return (await one<{ c: string }>(db, `
    SELECT md5(concat_ws('#',
      (SELECT string_agg(concat_ws('|', level, ars, name, source_key, updated_at), ',' ORDER BY level, ars) FROM regions),
      (SELECT string_agg(concat_ws('|', key, imported_at), ',' ORDER BY key) FROM data_sources),
      (SELECT string_agg(key || value::text, ',' ORDER BY key) FROM app_meta),
      (SELECT count(*) FROM offers), (SELECT count(*) FROM providers), (SELECT count(*) FROM users),
      (SELECT count(*) FROM audit_log), (SELECT count(*) FROM needs))) AS c`)).c;
}

let lauenburg: PreparedImport;
beforeAll(async () => {
  lauenburg = await prepareImport(LAUENBURG);
});

for (const kind of BACKENDS) {
  describe(`the demo district and real data on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(kind);
    });
    afterEach(() => t.dispose());

    it('removes exactly the demo and everything hanging on it, keeps the audit log, and a second run removes nothing', { timeout: 180_000 }, async () => {
      await writeImport(t.db, lauenburg, { keepDemo: true });
      await populate(t.db);
      const app = await buildTestApp(t.db);
      await login(app, 'coordinator'); // a session, and an audit entry naming the demo coordinator's id
      await app.close();
      const demoOffers = await n(t.db, "SELECT count(*)::int AS n FROM offers o JOIN regions r ON r.id = o.region_id WHERE r.source_key = 'demo'");
      const demoNeeds = await n(t.db, "SELECT count(*)::int AS n FROM needs x JOIN regions r ON r.id = x.region_id WHERE r.source_key = 'demo'");
      const before = await one(t.db, OFFICIAL_ROWS, [DEMO_EMAILS]);

      const removal = await removeDemo(t.db, 'test');
      expect(removal).toMatchObject({
        kreise: [DEMO_KREIS], offers: demoOffers, needs: demoNeeds, users: 5, sessions: 1, api_tokens: 1,
        allocation_plans: 1, allocation_intakes: 1, data_sources: 1, dataset_facts: 1, networks: 3,
      });
      expect(removal.regions.kreis).toBe(1);
      expect(removal.regions.gemeinde).toBeGreaterThan(0);
      expect(removal.providers).toBeGreaterThan(30);
      expect(removal.capacity_reports).toBeGreaterThan(0);
      // The demo coordinator's row and k.meier's demo row; k.meier keeps Lauenburg.
      expect(removal.user_districts).toBe(2);

      const after = await one(t.db, OFFICIAL_ROWS, [DEMO_EMAILS]);
      expect(after).toEqual({ ...before, audit: (before.audit as number) + 1, user_districts: before.user_districts });
      expect(await demoRegions(t.db)).toBe(0);
      expect(await demoUsers(t.db)).toBe(0);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM providers WHERE external_id LIKE 'demo-%'")).toBe(0);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM offers WHERE external_id LIKE 'demo-%' OR name LIKE 'Real Beratung%'")).toBe(1);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM networks")).toBe(0);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM sessions")).toBe(0);
      // The audit log keeps the login, now without the deleted user's id but with its actor.
      expect(await one(t.db, "SELECT user_id, actor FROM audit_log WHERE action = 'login'")).toEqual({ user_id: null, actor: 'coordinator@demo.local' });
      const entry = await one<{ actor: string; entity_id: string; after: Record<string, unknown> }>(t.db, "SELECT actor, entity_id, after FROM audit_log WHERE entity = 'demo_district'");
      expect(entry).toMatchObject({ actor: 'test', entity_id: DEMO_KREIS, after: { offers: demoOffers, users: 5 } });
      // What demo accounts touched in real data stays; only their ids are cleared.
      expect(await one(t.db, "SELECT status, created_by, decided_by FROM allocation_plans WHERE name = 'Real Plan'")).toEqual({ status: 'decided', created_by: null, decided_by: null });
      expect(await one(t.db, "SELECT user_id, text FROM need_events")).toEqual({ user_id: null, text: 'gesehen' });
      expect((await t.db.query("SELECT r.ars FROM user_districts d JOIN users u ON u.id = d.user_id JOIN regions r ON r.id = d.region_id WHERE u.email = 'k.meier@kreis-rz.example'")).rows)
        .toEqual([{ ars: LAUENBURG_KREIS }]);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM app_meta WHERE key = 'demo_seeded_at'")).toBe(1);

      const again = await removeDemo(t.db, 'test');
      expect(removedNothing(again)).toBe(true);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM audit_log WHERE entity = 'demo_district'")).toBe(1);
    });

    it('refuses an official import into a database holding the demo, writing nothing, and says how', async () => {
      const before = await checksum(t.db);
      const error = await writeImport(t.db, lauenburg).then(() => null, (e: unknown) => e as Error);
      expect(error?.message).toMatch(/fictional demo district.*--remove-demo.*npm run demo:remove/s);
      expect(await checksum(t.db)).toBe(before);
    });

    it('with removeDemo, removes the demo and imports in one transaction; a later failure keeps the demo', { timeout: 180_000 }, async () => {
      const before = await checksum(t.db);
      const broken = structuredClone(lauenburg);
      broken.build.levels.at(-1)!.rows.at(-1)!.name = 'x'.repeat(201); // the last Gemeinde violates a check
      await expect(writeImport(t.db, broken, { removeDemo: true })).rejects.toThrow(/check constraint/);
      expect(await checksum(t.db)).toBe(before);
      expect(await demoRegions(t.db)).toBeGreaterThan(0);

      const dry = await writeImport(t.db, lauenburg, { removeDemo: true, dryRun: true });
      expect(dry.demo_removed).toMatchObject({ kreise: [DEMO_KREIS], users: 5 });
      expect(dry.demo_removed!.offers).toBeGreaterThan(0);
      expect(await checksum(t.db)).toBe(before);

      const report = await importOfficial(t.db, { ...LAUENBURG, removeDemo: true });
      expect(report).toMatchObject({ inserted: 149, demo_regions: 0, demo_removed: { kreise: [DEMO_KREIS], users: 5 } });
      expect(await demoRegions(t.db)).toBe(0);
      expect(await n(t.db, "SELECT count(*)::int AS n FROM regions WHERE ars LIKE '01053%'")).toBe(149);
      expect(await one(t.db, "SELECT actor FROM audit_log WHERE entity = 'demo_district'")).toEqual({ actor: 'npm run import:official --remove-demo' });
      // Without the demo, the next import needs no flag.
      await expect(writeImport(t.db, lauenburg)).resolves.toMatchObject({ inserted: 0, demo_removed: null });
    });

    it('runs as npm run demo:remove: exit 0 with the counts, then nothing to remove; 2 on a wrong argument', { timeout: 300_000 }, async () => {
      if (kind === 'embedded') await t.db.close(); // the embedded database admits one process: the command's
      const env = t.dataDir !== null ? { DATA_DIR: t.dataDir, DATABASE_URL: '' } : { DATABASE_URL: t.url! };
      const run = (args: string[] = []) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-remove.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', input: '' });
      if (kind === 'embedded') {
        await writeFile(join(t.dataDir!, 'server.pid'), String(process.pid)); // the app server, as far as the command can tell
        const busy = run();
        expect(busy.status).toBe(1);
        expect(busy.stderr).toMatch(/demo removal failed, nothing removed: .*is the app server running/);
        await writeFile(join(t.dataDir!, 'server.pid'), '');
      }
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Demo district 010990000000: removed/);
      expect(first.stdout).toMatch(/demo accounts\s+5/);
      const second = run();
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/nothing to remove/);
      expect(run(['--everything']).status).toBe(2);
      if (kind === 'embedded') expect(existsSync(join(t.dataDir!, 'server.pid'))).toBe(false);
      const db = await openDatabase(kind === 'embedded' ? { pgliteDir: join(t.dataDir!, 'pglite') } : { databaseUrl: t.url!, pgliteDir: '' });
      try {
        expect(await demoRegions(db)).toBe(0);
        expect(await demoUsers(db)).toBe(0);
      } finally {
        await db.close();
      }
    });

    it('states dataset facts per district, limited to what the caller may see', { timeout: 180_000 }, async () => {
      await writeImport(t.db, lauenburg, { keepDemo: true });
      await addUser(t.db, { email: 'koordination@kreis-rz.example', password: 'x', role: 'coordinator', districts: [LAUENBURG_KREIS] }, false);
      const app = await buildTestApp(t.db);
      try {
        const metaAs = async (s: Session) => (await as(app, s)({ url: '/api/meta' })).json();
        const sourceKeys = (m: { sources: { key: string }[] }) => m.sources.map((s) => s.key);
        const admin = await metaAs(await login(app, 'admin'));
        expect(admin.districts).toEqual([
          { ars: LAUENBURG_KREIS, name: 'Herzogtum Lauenburg', demo: false, sources: ['bkg-vg5000', 'destatis-gv'] },
          { ars: DEMO_KREIS, name: 'Kreis Demo-Förde', demo: true, sources: ['demo'] },
        ]);
        expect(admin.dataset).toMatchObject({ demo: true, name: 'Herzogtum Lauenburg · Kreis Demo-Förde' });
        expect(sourceKeys(admin)).toEqual(['bkg-vg5000', 'demo', 'destatis-gv']);

        const demoCoordinator = await metaAs(await login(app, 'coordinator'));
        expect(demoCoordinator.districts.map((d: { ars: string }) => d.ars)).toEqual([DEMO_KREIS]);
        expect(demoCoordinator.dataset).toMatchObject({ demo: true, name: 'Kreis Demo-Förde', description_de: expect.stringContaining('Erfundener') });
        expect(sourceKeys(demoCoordinator)).toEqual(['demo']);

        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'koordination@kreis-rz.example', password: 'x' } });
        const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
        const real = (await app.inject({ url: '/api/meta', headers: { cookie: `ilk_session=${cookie.value}` } })).json();
        expect(real.districts).toEqual([{ ars: LAUENBURG_KREIS, name: 'Herzogtum Lauenburg', demo: false, sources: ['bkg-vg5000', 'destatis-gv'] }]);
        expect(real.dataset).toEqual({ demo: false, name: 'Herzogtum Lauenburg' });
        expect(sourceKeys(real)).toEqual(['bkg-vg5000', 'destatis-gv']);
        expect(JSON.stringify(real)).not.toMatch(/Fiktive Demodaten/);

        await removeDemo(t.db, 'test');
        const ministry = await metaAs(await loginAfterRemoval(app, t.db));
        expect(ministry.dataset).toEqual({ demo: false, name: 'Herzogtum Lauenburg' });
        expect(sourceKeys(ministry)).toEqual(['bkg-vg5000', 'destatis-gv']);
      } finally {
        await app.close();
      }
    });

    it('gives demo accounts the demo Kreise only, never a real one imported beside them', async () => {
      await writeImport(t.db, lauenburg, { keepDemo: true });
      await t.db.query("DELETE FROM users WHERE email = 'coordinator@demo.local'");
      await ensureInitialAccounts(t.db, loadConfig({ NODE_ENV: 'test' }), silent);
      const { rows } = await t.db.query("SELECT r.ars FROM users u JOIN user_districts d ON d.user_id = u.id JOIN regions r ON r.id = d.region_id WHERE u.email = 'coordinator@demo.local'");
      expect(rows).toEqual([{ ars: DEMO_KREIS }]);
    });

    it('never measures coverage to an offer of the other data set, even when it is nearer', async () => {
      await writeImport(t.db, lauenburg, { keepDemo: true });
      const app = await buildTestApp(t.db);
      try {
        const ministry = as(app, await login(app, 'ministry'));
        const layer = async (parent: string) => (await ministry({ url: `/api/coverage?category=sprache&parent=${parent}` })).json() as FeatureCollection<Geometry, Record<string, any>>;
        // No real language offer yet: Lauenburg's Gemeinden have none, not one in the demo district.
        const empty = await layer(LAUENBURG_KREIS);
        expect(empty.features.length).toBe(133);
        expect(empty.features.every((f) => f.properties.distance_m === null && f.properties.nearest_offer_id === null)).toBe(true);

        // One real offer far away (in Munich, outside every imported region): the demo's offers are
        // far nearer to Lauenburg, and still not measured.
        const { id } = await one<{ id: number }>(t.db, "INSERT INTO offers (category_key, name, geom) VALUES ('sprache', 'Real Kurs München', ST_SetSRID(ST_MakePoint(11.575, 48.137), 4326)) RETURNING id::int AS id");
        const demoOffers = new Set((await t.db.query<{ id: number }>("SELECT o.id::int AS id FROM offers o JOIN regions r ON r.id = o.region_id WHERE r.source_key = 'demo'")).rows.map((r) => r.id));
        const nearestDemo = await n(t.db, `
          SELECT min(ST_DistanceSphere(o.geom, g.label_point))::int AS n FROM offers o JOIN regions r ON r.id = o.region_id, regions g
           WHERE r.source_key = 'demo' AND o.category_key = 'sprache' AND g.level = 'gemeinde' AND g.ars LIKE '01053%'`);
        const real = await layer(LAUENBURG_KREIS);
        expect(real.features.every((f) => f.properties.nearest_offer_id === id && f.properties.distance_m > 500_000)).toBe(true);
        expect(nearestDemo).toBeLessThan(200_000);

        const demo = await layer(DEMO_KREIS);
        expect(demo.features.length).toBeGreaterThan(0);
        expect(demo.features.every((f) => f.properties.nearest_offer_id === null || demoOffers.has(f.properties.nearest_offer_id))).toBe(true);
        expect(demo.features.some((f) => demoOffers.has(f.properties.nearest_offer_id))).toBe(true);

        const spots = (await ministry({ url: `/api/coverage/white-spots?category=sprache&parent=${LAUENBURG_KREIS}&threshold_km=100` })).json() as FeatureCollection;
        expect(spots.features.length).toBe((await n(t.db, "SELECT count(*)::int AS n FROM regions WHERE level = 'gemeinde' AND ars LIKE '01053%' AND coalesce(population, 1) > 0")));
      } finally {
        await app.close();
      }
    });
  });
}

// The demo accounts are gone after the removal: a real ministry account takes their place.
async function loginAfterRemoval(app: Awaited<ReturnType<typeof buildTestApp>>, db: Database): Promise<Session> {
  await addUser(db, { email: 'ministerium@land.example', password: 'x', role: 'ministry' }, false);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ministerium@land.example', password: 'x' } });
  const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
  const csrf = (res.json() as { csrf_token: string }).csrf_token;
  return { cookie: `ilk_session=${cookie.value}`, csrf, headers: { cookie: `ilk_session=${cookie.value}` } };
}
