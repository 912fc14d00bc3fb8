import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { importOfficial } from '../../../server/src/import/import-official.ts';
import { addUser } from '../../../server/src/seed/accounts.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { OFFICIAL_DIR } from '../../helpers/paths.ts';
import { csvOf, GERMAN_HEADER, rowOf, xlsxOf, XLSX_TYPE } from '../../helpers/capacity-sheets.ts';

// Capacities in bulk on real official data: Kreis Herzogtum Lauenburg (01053, BKG VG5000 and
// the Destatis register), whose 15 units have no report yet. The demo district is kept beside
// it only so the demo accounts exist; a coordinator of 01053 is created for the real Kreis.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const LAUENBURG = '010530000000';
const PASSWORD = 'Herzogtum-Zuweisung-Dezember-2026';
type Send = (o: InjectOptions) => Promise<LightMyRequestResponse>;
interface Unit { ars: string; name: string; kind: string; population: number | null; version: number; report: { report_date: string; housing_free: number } | null }

for (const kind of BACKENDS) {
  describe(`capacities in bulk on official data for Kreis 01053 on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let lauenburg: Send;
    let demoCoordinator: Send;
    const units = async (): Promise<Unit[]> => (await lauenburg({ url: `/api/capacity/units?kreis=${LAUENBURG}` })).json().units;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await importOfficial(t.db, {
        scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
        population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'), keepDemo: true,
      });
      await addUser(t.db, { email: 'koordination@kreis-rz.example', password: PASSWORD, role: 'coordinator', districts: [LAUENBURG] });
      app = await buildTestApp(t.db);
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'koordination@kreis-rz.example', password: PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
      const headers = { cookie: `ilk_session=${cookie.value}`, 'x-csrf-token': res.json().csrf_token as string };
      lauenburg = (o) => app.inject({ ...o, headers: { ...headers, ...(o.headers as Record<string, string> | undefined) } });
      demoCoordinator = as(app, await login(app, 'coordinator'));
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('lists the 15 units of Herzogtum Lauenburg, none reported yet (version 0)', async () => {
      const list = await units();
      expect(list).toHaveLength(15);
      expect(list.every((u) => u.version === 0 && u.report === null)).toBe(true);
      expect(list.filter((u) => u.kind === 'Amt').map((u) => u.name)).toContain('Breitenfelde');
      expect(list.find((u) => u.name === 'Mölln')!.population).toBeGreaterThan(15_000);
    });

    it('keeps each coordinator to their own Kreis', async () => {
      expect((await lauenburg({ url: '/api/capacity/units?kreis=010990000000' })).statusCode).toBe(403);
      expect((await demoCoordinator({ url: `/api/capacity/units?kreis=${LAUENBURG}` })).statusCode).toBe(403);
      const csv = csvOf(GERMAN_HEADER, [rowOf('Amt Breitenfelde', '01.12.2026', 3)]);
      const res = await demoCoordinator({ method: 'POST', url: `/api/capacity/import?kreis=${LAUENBURG}`, headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(res.statusCode).toBe(403);
      // Without ?kreis= the demo coordinator's file is matched among the demo units only.
      const unscoped = await demoCoordinator({ method: 'POST', url: '/api/capacity/import', headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(unscoped.statusCode).toBe(400);
      expect(unscoped.json().errors[0]).toMatchObject({ field: 'row 2, name', message: expect.stringContaining('no allocation unit named "Amt Breitenfelde"') });
    });

    it('imports an Amt\'s XLSX by the names people write ("Amt Breitenfelde", "Stadt Mölln"), then the grid\'s batch fills the rest', async () => {
      const names = ['Amt Breitenfelde', 'Stadt Mölln', 'geesthacht', 'Sachsenwald (Forstgutsbez.)', 'Amt  Lauenburgische   Seen'];
      const body = await xlsxOf(GERMAN_HEADER, names.map((n, i) => rowOf(n, new Date(Date.UTC(2026, 11, 1)), i + 2)));
      const dry = await lauenburg({ method: 'POST', url: `/api/capacity/import?kreis=${LAUENBURG}&dry_run=true`, headers: { 'content-type': XLSX_TYPE }, payload: body });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json().rows.map((r: { name: string; action: string }) => [r.name, r.action])).toEqual([
        ['Breitenfelde', 'create'], ['Mölln', 'create'], ['Geesthacht', 'create'], ['Sachsenwald (Forstgutsbez.)', 'create'], ['Lauenburgische Seen', 'create'],
      ]);
      expect(dry.json().rows[0].changes.housing_free).toEqual({ from: null, to: 2 });
      expect((await units()).every((u) => u.version === 0)).toBe(true);

      const real = await lauenburg({ method: 'POST', url: '/api/capacity/import', headers: { 'content-type': XLSX_TYPE }, payload: body });
      expect(real.statusCode, real.body).toBe(200);
      expect(real.json().written).toBe(5);
      const after = await units();
      const missing = after.filter((u) => u.version === 0);
      expect(missing).toHaveLength(10);
      expect(after.find((u) => u.name === 'Mölln')!.report).toMatchObject({ report_date: '2026-12-01', housing_free: 3 });

      const reports = missing.map((u, i) => ({
        ars: u.ars, version: u.version, report_date: '2026-12-02', housing_free: i, housing_free_barrier_free: 0, shared_accommodation_places: 0,
        kita_free: 1, school_free: 1, language_course_free: 2, gp_accepting: 1, refugees_housed: 5, intake_ytd: 1,
      }));
      const batch = await lauenburg({ method: 'POST', url: '/api/capacity/batch', payload: { reports } });
      expect(batch.statusCode, batch.body).toBe(200);
      expect((await units()).every((u) => u.version > 0)).toBe(true);
      // The planning inputs see every unit reported now (no unit without a report is left).
      const { rows } = await t.db.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM regions v WHERE v.level = 'verband' AND v.ars LIKE '01053%'
           AND NOT EXISTS (SELECT 1 FROM capacity_reports c WHERE c.region_id = v.id)`);
      expect(rows[0]!.n).toBe(0);
    });
  });
}
