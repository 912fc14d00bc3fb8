import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { csvOf, GERMAN_HEADER, rowOf, xlsxOf, XLSX_TYPE, type Cell } from '../../helpers/capacity-sheets.ts';

// Capacities in bulk on the demo district: the units list, the batch with per-unit versions,
// and the CSV/XLSX import with its dry run, matching and all-or-nothing rule.
const KREIS = '010990000000';
type Send = (o: InjectOptions) => Promise<LightMyRequestResponse>;
interface Unit { ars: string; name: string; kind: string; version: number; report: Record<string, unknown> | null }

const counts = (n: number) => ({
  housing_free: n, housing_free_barrier_free: 0, shared_accommodation_places: 1, kita_free: 2, school_free: 3,
  language_course_free: 4, gp_accepting: 1, refugees_housed: 20, intake_ytd: 5,
});

for (const kind of BACKENDS) {
  describe(`capacities in bulk on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let admin: Send;
    let coord: Send;
    let analyst: Send;
    const reportCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM capacity_reports')).rows[0]!.n;
    const auditCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'capacity_report'")).rows[0]!.n;
    const units = async (who: Send = coord): Promise<Unit[]> => (await who({ url: `/api/capacity/units?kreis=${KREIS}` })).json().units;
    /** The report date of the unit's report entered last (its version), which may be older than the one in force. */
    const lastDate = async (name: string) => {
      const version = (await units()).find((u) => u.name === name)!.version;
      return (await t.db.query<{ d: string }>('SELECT report_date::text AS d FROM capacity_reports WHERE id = $1', [version])).rows[0]!.d;
    };
    const csvImport = (payload: string, query = '') => coord({ method: 'POST', url: `/api/capacity/import${query}`, headers: { 'content-type': 'text/csv; charset=utf-8' }, payload });
    const xlsxImport = (payload: Buffer, query = '') => coord({ method: 'POST', url: `/api/capacity/import${query}`, headers: { 'content-type': XLSX_TYPE }, payload });

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      admin = as(app, await login(app, 'admin'));
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('lists the units of a Kreis sorted by ARS, with version = latest report id (0 without one)', async () => {
      const res = await analyst({ url: `/api/capacity/units?kreis=${KREIS}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { kreis: { ars: string; name: string }; units: Unit[] };
      expect(body.kreis).toEqual({ ars: KREIS, name: 'Kreis Demo-Förde' });
      expect(body.units.map((u) => u.ars)).toEqual([...body.units.map((u) => u.ars)].sort());
      expect(body.units).toHaveLength(14);
      const { rows } = await t.db.query<{ ars: string; latest: number | null }>(`
        SELECT v.ars, (SELECT max(c.id) FROM capacity_reports c WHERE c.region_id = v.id)::int AS latest
          FROM regions v WHERE v.level = 'verband' AND v.ars LIKE '01099%' ORDER BY v.ars`);
      expect(body.units.map((u) => [u.ars, u.version])).toEqual(rows.map((r) => [r.ars, r.latest ?? 0]));
      // The report shown is the one in force (latest report date), as planning reads it.
      const { rows: inForce } = await t.db.query<{ ars: string; id: number | null }>(`
        SELECT v.ars, (SELECT c.id FROM capacity_reports c WHERE c.region_id = v.id ORDER BY c.report_date DESC, c.id DESC LIMIT 1)::int AS id
          FROM regions v WHERE v.level = 'verband' AND v.ars LIKE '01099%' ORDER BY v.ars`);
      expect(body.units.map((u) => u.report?.id ?? null)).toEqual(inForce.map((r) => r.id));
      expect(Object.keys(body.units.find((u) => u.report)!.report!).sort()).toEqual([
        'created_at', 'gp_accepting', 'housing_free', 'housing_free_barrier_free', 'id', 'intake_ytd', 'kita_free', 'language_course_free',
        'note', 'refugees_housed', 'report_date', 'school_free', 'shared_accommodation_places'].sort());
    });

    it('refuses a Kreis outside a coordinator\'s districts (403) and an unknown one (404)', async () => {
      expect((await coord({ url: '/api/capacity/units?kreis=010530000000' })).statusCode).toBe(403);
      expect((await admin({ url: '/api/capacity/units?kreis=010530000000' })).statusCode).toBe(404);
      expect((await admin({ url: '/api/capacity/units?kreis=0105' })).statusCode).toBe(400);
    });

    it('writes a batch for several units in one go and returns the new versions', async () => {
      const [a, b] = await units();
      const before = await auditCount();
      const res = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [
        { ars: a!.ars, version: a!.version, report_date: '2026-11-30', ...counts(7), note: 'Batch' },
        { ars: b!.ars, version: b!.version, report_date: '2026-11-30', ...counts(3) },
      ] } });
      expect(res.statusCode, res.body).toBe(200);
      const written = res.json().written as { ars: string; id: number; version: number }[];
      expect(written.map((w) => w.ars)).toEqual([a!.ars, b!.ars]);
      const after = await units();
      expect(after[0]!.version).toBe(written[0]!.version);
      expect(after[0]!.report).toMatchObject({ report_date: '2026-11-30', housing_free: 7, note: 'Batch' });
      expect(after[1]!.report).toMatchObject({ housing_free: 3, note: null });
      expect(await auditCount()).toBe(before + 2);
      // The single-unit route sees the batch's report as the newest: its ETag moved on.
      const history = await coord({ url: `/api/regions/${a!.ars}/capacity` });
      expect(history.headers.etag).toBe(`"capacity-${a!.ars}-r${written[0]!.id}"`);
    });

    it('moves the version on for a backdated report, while the report in force stays the latest-dated one', async () => {
      const [a] = await units();
      const res = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [{ ars: a!.ars, version: a!.version, report_date: '2020-01-01', ...counts(99) }] } });
      expect(res.statusCode, res.body).toBe(200);
      const [after] = await units();
      expect(after!.version).toBe(res.json().written[0].id);
      expect(after!.version).toBeGreaterThan(a!.version);
      expect(after!.report).toEqual(a!.report);
    });

    it('refuses a batch with a stale version (412 naming every conflict) and writes nothing', async () => {
      const [a, b, c] = await units();
      // Someone else reports for b in between.
      await admin({ method: 'POST', url: `/api/regions/${b!.ars}/capacity`, payload: { report_date: '2026-12-01', ...counts(1) } });
      const before = await reportCount();
      const res = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [
        { ars: a!.ars, version: a!.version, report_date: '2026-12-02', ...counts(9) },
        { ars: b!.ars, version: b!.version, report_date: '2026-12-02', ...counts(9) },
        { ars: c!.ars, version: c!.version + 1, report_date: '2026-12-02', ...counts(9) },
      ] } });
      expect(res.statusCode, res.body).toBe(412);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const current = await units();
      expect(res.json().conflicts).toEqual([
        { ars: b!.ars, name: b!.name, expected: b!.version, current: current[1]!.version },
        { ars: c!.ars, name: c!.name, expected: c!.version + 1, current: c!.version },
      ]);
      expect(await reportCount()).toBe(before);
    });

    it('names every bad cell of a batch (400), and refuses units outside the districts (403)', async () => {
      const [a, b] = await units();
      const before = await reportCount();
      const bad = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [
        { ars: a!.ars, version: a!.version, report_date: '2026-12-03', ...counts(2), housing_free_barrier_free: 5 },
        { ars: b!.ars, version: b!.version, report_date: '2026-12-03', ...counts(2) },
        { ars: b!.ars, version: b!.version, report_date: '2026-12-03', ...counts(2) },
      ] } });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/reports/0/housing_free_barrier_free', '/reports/2/ars']);
      const schema = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [{ ars: a!.ars, version: a!.version, report_date: '2026-12-03', ...counts(2), kita_free: -1, school_free: 1.5 }] } });
      expect(schema.statusCode).toBe(400);
      expect(schema.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/reports/0/kita_free', '/reports/0/school_free']);
      const unknown = await admin({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [{ ars: '010999999000', version: 0, report_date: '2026-12-03', ...counts(2) }] } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([{ field: '/reports/0/ars', message: 'no allocation unit with ARS 010999999000' }]);
      const outside = await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [{ ars: '010535321000', version: 0, report_date: '2026-12-03', ...counts(2) }] } });
      expect(outside.statusCode).toBe(403);
      expect(outside.json().errors[0].field).toBe('/reports/0/ars');
      expect((await coord({ method: 'POST', url: '/api/capacity/batch', payload: { reports: [] } })).statusCode).toBe(400);
      expect(await reportCount()).toBe(before);
    });

    it('imports a German CSV by unit name: a dry run reports changes and writes nothing, the real run writes', async () => {
      const list = await units();
      const amt = list.find((u) => u.name === 'Amt Bliekhusen')!;
      const stadt = list.find((u) => u.name === 'Demohaven')!;
      const csv = csvOf(GERMAN_HEADER, [rowOf('  bliekhusen ', '31.12.2026', 6, 'aus Excel'), rowOf('DEMOHAVEN', '2026-12-31', 0)]);
      const before = await reportCount();
      const dry = await csvImport(csv, '?dry_run=true');
      expect(dry.statusCode, dry.body).toBe(200);
      const report = dry.json();
      expect(report).toMatchObject({ dry_run: true, format: 'csv', ignored_sheets: [], written: 0, unchanged: 0 });
      expect(report.rows.map((r: { row: number; ars: string; action: string }) => [r.row, r.ars, r.action])).toEqual([[2, amt.ars, 'create'], [3, stadt.ars, 'create']]);
      expect(report.rows[0].changes.housing_free).toEqual({ from: amt.report ? amt.report.housing_free : null, to: 6 });
      expect(report.rows[0].changes.gp_accepting).toEqual(amt.report?.gp_accepting === 1 ? undefined : { from: amt.report ? amt.report.gp_accepting : null, to: 1 });
      expect(await reportCount()).toBe(before);

      const audits = await auditCount();
      const real = await csvImport(csv);
      expect(real.statusCode, real.body).toBe(200);
      expect(real.json()).toMatchObject({ dry_run: false, written: 2, unchanged: 0 });
      expect(await reportCount()).toBe(before + 2);
      expect(await auditCount()).toBe(audits + 2);
      const after = await units();
      expect(after.find((u) => u.ars === amt.ars)!.report).toMatchObject({ report_date: '2026-12-31', housing_free: 6, housing_free_barrier_free: 5, intake_ytd: 12, note: 'aus Excel' });

      // The same file again: nothing new, nothing written.
      const again = await csvImport(csv);
      expect(again.json()).toMatchObject({ written: 0, unchanged: 2 });
      expect(await auditCount()).toBe(audits + 2);
      expect(again.json().rows.map((r: { action: string; changes: object }) => [r.action, r.changes])).toEqual([['unchanged', {}], ['unchanged', {}]]);
      expect(await reportCount()).toBe(before + 2);
    });

    it('matches by ARS, Verband key and AGS of an amtsfreie Gemeinde, with English headers and commas', async () => {
      const header = ['ARS', 'report_date', 'housing_free', 'housing_free_barrier_free', 'shared_accommodation_places', 'kita_free', 'school_free', 'language_course_free', 'gp_accepting', 'refugees_housed', 'intake_ytd'];
      const nums = [4, 1, 0, 0, 0, 0, 0, 10, 3];
      const csv = [header.join(','), `010995903000,2026-12-20,${nums}`, `10995904000,2026-12-20,${nums}`, `010995905,2026-12-20,${nums}`, `01099072,2026-12-20,${nums}`].join('\n');
      const res = await csvImport(csv, '?dry_run=true');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows.map((r: { ars: string }) => r.ars)).toEqual(['010995903000', '010995904000', '010995905000', '010990072000']);
      // The AGS of a Gemeinde inside an Amt names no unit on its own.
      const member = await csvImport([header.join(','), `01099003,2026-12-20,${nums}`].join('\n'), '?dry_run=true');
      expect(member.statusCode).toBe(400);
      expect(member.json().errors[0]).toMatchObject({ field: 'row 2, ars', message: expect.stringContaining('Amt Bliekhusen') });
    });

    it('refuses the whole file when one row is bad, naming every bad row and cell', async () => {
      const before = await reportCount();
      const csv = csvOf(GERMAN_HEADER, [
        rowOf('Amt Daschhagen', '01.12.2026', 4),
        rowOf('Amt Nirgendwo', '01.12.2026', 4),
        [...rowOf('Amt Fiernhagen', '31.02.2026', 4).slice(0, 5), '12,0', '3.5', -1, 1, 10, 2, null],
        rowOf('Daschhagen', '01.12.2026', 2),
        [...rowOf('Amt Vehrau', '', 1).slice(0, 2), 1, 2, 0, 0, 0, 0, 0, 0, 0, null],
      ]);
      const res = await csvImport(csv);
      expect(res.statusCode, res.body).toBe(400);
      const fields = (res.json().errors as { field: string; message: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining([
        'row 3, name', 'row 4, report_date (B4)', 'row 4, kita_free (F4)', 'row 4, school_free (G4)', 'row 4, language_course_free (H4)',
        'row 5, name', 'row 6, report_date (B6)', 'row 6, housing_free_barrier_free (D6)',
      ]));
      expect(res.json().errors.find((e: { field: string }) => e.field === 'row 5, name').message).toMatch(/same unit as row 2/);
      expect(res.json().detail).toMatch(/nothing was imported/);
      expect(await reportCount()).toBe(before);
      // With ?report_date= the rows without a date take it.
      const dated = await csvImport(csvOf(GERMAN_HEADER, [rowOf('Amt Vehrau', null, 1)]), '?dry_run=true&report_date=2026-12-15');
      expect(dated.statusCode, dated.body).toBe(200);
    });

    it('refuses a header it cannot map, other content types (415) and a Kreis outside the districts (403)', async () => {
      const header = await csvImport('Amt;Stichtag;Wohnungen\nA;1.1.2026;3\n');
      expect(header.statusCode).toBe(400);
      expect(header.json().errors).toEqual(expect.arrayContaining([{ field: 'Wohnungen (C1)', message: 'is not a known column' }, { field: 'kita_free', message: 'column is missing' }]));
      const json = await coord({ method: 'POST', url: '/api/capacity/import', payload: { reports: [] } });
      expect(json.statusCode).toBe(415);
      expect(json.json().detail).toMatch(/text\/csv.*spreadsheetml/);
      expect(json.json().accepted).toEqual(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
      const outside = await csvImport(csvOf(GERMAN_HEADER, [rowOf('Breitenfelde', '2026-12-01', 1)]), '?kreis=010530000000');
      expect(outside.statusCode).toBe(403);
      const foreignRow = await csvImport([GERMAN_HEADER.map((h) => (h === 'Amt' ? 'ARS' : h)).join(';'), rowOf('010535321000', '2026-12-01', 1).join(';')].join('\n'));
      expect(foreignRow.statusCode).toBe(403);
      expect(foreignRow.json().errors[0].field).toBe('row 2, ars');
    });

    it('imports the first sheet of an XLSX with date cells, 1900 serials and German text dates; lists the other sheets', async () => {
      const list = await units();
      const before = await reportCount();
      const body = await xlsxOf(GERMAN_HEADER, [
        rowOf('Amt Hövkbeck', new Date(Date.UTC(2026, 10, 30)), 3),
        rowOf('Amt Jornwohld', 46022, 2),
        rowOf('Amt Lemkmoor', '15.11.2026', 1),
      ], { extraSheets: ['Hinweise', 'Vorjahr'] });
      const res = await xlsxImport(body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ format: 'xlsx', sheet: 'Meldungen', ignored_sheets: ['Hinweise', 'Vorjahr'], written: 3 });
      const after = await units();
      expect([await lastDate('Amt Hövkbeck'), await lastDate('Amt Jornwohld'), await lastDate('Amt Lemkmoor')]).toEqual(['2026-11-30', '2025-12-31', '2026-11-15']);
      expect(await reportCount()).toBe(before + 3);
      expect(list.length).toBe(after.length);
    });

    it('reads dates of a workbook in the 1904 date system, as cells and as serials', async () => {
      // 44560 in the 1904 system is 31 Dec 2025, as 46022 is in the 1900 system.
      const body = await xlsxOf(GERMAN_HEADER, [rowOf('Amt Mörvfeld', new Date(Date.UTC(2026, 0, 2)), 3), rowOf('Amt Vehrau', 44560, 3)], { date1904: true });
      const res = await xlsxImport(body, '?dry_run=true');
      expect(res.statusCode, res.body).toBe(200);
      const real = await xlsxImport(body);
      expect(real.statusCode, real.body).toBe(200);
      expect(await lastDate('Amt Mörvfeld')).toBe('2026-01-02');
      expect(await lastDate('Amt Vehrau')).toBe('2025-12-31');
    });

    it('refuses formulas naming the cell, and a file that is no zip', async () => {
      const before = await reportCount();
      const row: Cell[] = rowOf('Amt Klein Raskort', '01.12.2026', 3);
      row[5] = { formula: 'C2-D2', result: 1 };
      const res = await xlsxImport(await xlsxOf(GERMAN_HEADER, [row]));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'cell F2', message: expect.stringMatching(/formula \(=C2-D2\).*values/) });
      const notZip = await xlsxImport(Buffer.from(csvOf(GERMAN_HEADER, [rowOf('Amt Vehrau', '01.12.2026', 1)])));
      expect(notZip.statusCode).toBe(400);
      expect(notZip.json().detail).toMatch(/not an XLSX file/);
      expect(await reportCount()).toBe(before);
    });
  });
}
