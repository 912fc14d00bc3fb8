import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import { OFFICIAL_DIR, ROOT } from '../helpers/paths.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { openTestDatabase } from '../helpers/test-db.ts';
import { GERMAN_HEADER, XLSX_TYPE, rowOf, xlsxOf } from '../helpers/capacity-sheets.ts';
import { attribute, containsText, count, ensureClientBuilt, launchChromium, screenshot, visible, watchErrors } from './browser.ts';
import { mapIdle } from './map-page.ts';

// The first week of a real Kreis, as its people live it, in a real Chromium against the real
// server on a fresh DATA_DIR: the app starts with the demo district; the official data of Kreis
// Herzogtum Lauenburg (01053, from ../shared) replace it; from then on everything happens in the
// app: accounts, capacity reports from a spreadsheet and the grid, the legal key, a decided plan
// with its printed sheet, a partner's need by place name, and an analyst's token read by GDAL.

const run = promisify(execFile);
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const KREIS = '010530000000';
const ADMIN = { email: 'it@kreis-rz.example', password: 'Ratzeburg am See 2026' };
const COORDINATOR = { email: 'integration@kreis-rz.example', password: 'Möllner Eulenspiegel 1350' };
const PARTNER = { email: 'beratung@diakonie-rz.example', password: 'Lauenburger Elbufer 7' };
const ANALYST = { email: 'gis@kreis-rz.example', password: 'Schaalsee Biosphäre 2000' };
const WAIT = { timeout: 20_000, interval: 100 };

interface Unit { ars: string; name: string; population: number; version: number; report: Record<string, unknown> | null }

let dataDir: string;
let server: ServerProcess | undefined;
let browser: Browser;
let units: Unit[] = [];

/** Runs one of the README's commands on the test's DATA_DIR, as a user runs it. */
async function cli(script: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env, encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Logs in on a fresh browser context; `hash` chooses the view; waits for the map where there is one. */
async function login(who: { email: string; password: string }, hash: string, map = false) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  const page = await context.newPage();
  const watch = watchErrors(page);
  onTestFailed(async () => {
    await screenshot(page, `failed-first-week-${who.email}`).catch(() => undefined);
    console.error(`page errors: ${watch.errors.join('\n')}\nserver output:\n${server?.output().slice(-3000)}`);
  });
  await page.goto(`${server!.url}/?e2e${hash}`);
  await page.getByLabel('E-Mail-Adresse').fill(who.email);
  await page.getByLabel('Passwort').fill(who.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await visible(page.getByRole('button', { name: 'Abmelden' }));
  if (map) await mapIdle(page);
  return { context, page, watch };
}

/** The API as the page's session sees it, with the CSRF token for writes. */
async function api(page: Page) {
  const me = (await (await page.request.get(`${server!.url}/api/auth/me`)).json()) as { csrf_token: string };
  return {
    get: (path: string) => page.request.get(`${server!.url}${path}`),
    post: (path: string, data?: unknown) => page.request.post(`${server!.url}${path}`, { data, headers: { 'x-csrf-token': me.csrf_token } }),
  };
}

beforeAll(async () => {
  ensureClientBuilt();
  // A fresh DATA_DIR as a new user's first start leaves it: migrated, with the demo district and
  // its accounts (a copy of the suite's template, which the first start's own code made).
  const t = await openTestDatabase('embedded');
  const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM offers");
  expect(rows[0]!.n).toBeGreaterThan(0);
  await t.db.close();
  dataDir = t.dataDir!;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the first week of Kreis Herzogtum Lauenburg, from the official import to a decided plan', () => {
  it('starts with the demo district, which the official import removes in the same transaction', { timeout: 480_000 }, async () => {
    const args = ['--kreis', '01053', '--boundaries', join(VG, 'VG5000_GEM.shp'), '--verbaende', join(VG, 'VG5000_VWG.shp'),
      '--population', join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv')];
    // Without the flag the import refuses and says how; nothing is written.
    const refused = await cli('import-official', args);
    expect(refused.status, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/--remove-demo/);
    expect(refused.stderr).toMatch(/demo:remove/);
    const imported = await cli('import-official', [...args, '--remove-demo']);
    expect(imported.status, imported.stdout + imported.stderr).toBe(0);

    server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    // The demo accounts went with the demo.
    const gone = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'coordinator@demo.local', password: 'demo' }),
    });
    expect(gone.status).toBe(401);
  });

  it('shows the real Kreis with no trace of the demo, and lets the admin create accounts in the app', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await login(ADMIN, '', true);
    await containsText(page.locator('header .dataset'), 'Herzogtum Lauenburg');
    await count(page.locator('header .demo'), 0);
    const attribution = page.locator('.maplibregl-ctrl-attrib');
    await containsText(attribution, 'GeoBasis-DE / BKG');
    await containsText(attribution, 'Destatis');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/Demo|Fiktiv|fiktiv/);
    const meta = (await (await (await api(page)).get('/api/meta')).json()) as { dataset: { demo: boolean }; sources: { attribution: string }[] };
    expect(meta.dataset.demo).toBe(false);
    expect(meta.sources.map((s) => s.attribution).join(' ')).not.toMatch(/Demo|Fiktiv/);
    const offers = (await (await (await api(page)).get('/api/offers')).json()) as { features: unknown[] };
    expect(offers.features).toEqual([]);
    await screenshot(page, 'first-week-admin-map');

    // The admin creates the coordinator of the Kreis in the app.
    await page.getByRole('button', { name: 'Konten', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Konten' }));
    await page.getByRole('button', { name: 'Neues Konto' }).click();
    const form = page.locator('form.account-form');
    await form.getByLabel('E-Mail-Adresse').fill(COORDINATOR.email);
    await form.getByLabel('Name', { exact: true }).fill('Koordinierungsstelle Integration');
    await form.getByLabel('Rolle').selectOption('coordinator');
    const kreis = form.getByRole('checkbox', { name: new RegExp(KREIS) });
    if (!(await kreis.isChecked())) await kreis.check();
    await form.getByLabel('Anfangskennwort').fill(COORDINATOR.password);
    await form.getByRole('button', { name: 'Konto anlegen' }).click();
    await visible(page.locator(`tr[data-email="${COORDINATOR.email}"]`));
    await containsText(page.locator(`tr[data-email="${COORDINATOR.email}"]`), 'Herzogtum Lauenburg');

    // A partner (counselling service) and an analyst, through the same API the page uses.
    const { post } = await api(page);
    expect((await post('/api/users', { ...PARTNER, role: 'partner', organisation: 'Migrationsberatung Ratzeburg' })).status()).toBe(201);
    expect((await post('/api/users', { ...ANALYST, role: 'analyst', display_name: 'GIS-Team' })).status()).toBe(201);
    watch.assertClean();
    await context.close();
  });

  it('lets the coordinator import capacity reports for some units from an XLSX file', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await login(COORDINATOR, '#mode=capacities');
    await visible(page.getByRole('heading', { name: /Kapazitätsmeldungen aller Ämter/, level: 1 }));
    const res = await (await api(page)).get(`/api/capacity/units?kreis=${KREIS}`);
    expect(res.status()).toBe(200);
    units = ((await res.json()) as { units: Unit[] }).units;
    expect(units.length).toBe(15);
    expect(units.every((u) => u.report === null)).toBe(true);
    await count(page.locator('table.capgrid tbody tr.unknown'), 15);

    // Five units by name, as an Amt's spreadsheet names them, with dates as real date cells.
    const first = units.filter((u) => u.population > 0).slice(0, 5);
    const file = await xlsxOf(GERMAN_HEADER, first.map((u, i) => rowOf(u.name, new Date(Date.UTC(2026, 11, 1)), 3 + i)));
    await page.getByText('Aus Datei übernehmen (CSV oder XLSX)').click();
    await page.setInputFiles('#cg-import-file', { name: 'meldungen-aemter.xlsx', mimeType: XLSX_TYPE, buffer: file });
    await containsText(page.getByRole('heading', { name: /Vorschau/ }), 'Vorschau: 5 Zeilen aus XLSX');
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await visible(page.getByText('5 Meldungen aus der Datei übernommen.'));
    await count(page.locator('table.capgrid tbody tr.unknown'), 10);
    const after = ((await (await (await api(page)).get(`/api/capacity/units?kreis=${KREIS}`)).json()) as { units: Unit[] }).units;
    for (const [i, u] of first.entries()) {
      expect(after.find((a) => a.ars === u.ars)!.report).toMatchObject({ report_date: '2026-12-01', housing_free: 3 + i, kita_free: 5 + i });
    }
    watch.assertClean();
    await context.close();
  });

  it('shows the legal key for N = 100 and names the units without reports', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await login(COORDINATOR, '#mode=plan', true);
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await page.getByLabel('Zu verteilende Personen (N)').fill('100');
    const panel = page.locator('section.unknown-cap');
    await count(panel.locator('li.unknown'), 10);
    const reported = new Set(units.filter((u) => u.population > 0).slice(0, 5).map((u) => u.ars));
    const missing = units.filter((u) => !reported.has(u.ars));
    for (const u of missing) await containsText(panel, u.name);
    // Unknown capacities count as no room by default, and the five reports hold 25 free places:
    // no need-based plan for 100, but the legal key all the same.
    await visible(page.getByRole('alert').filter({ hasText: 'Keine zulässige Verteilung' }));
    await visible(page.locator('#table-legal-key'));
    await containsText(page.locator('#table-legal-key tfoot [data-sum="legal"]'), /^100$/);
    await screenshot(page, 'first-week-legal-key');
    watch.assertClean();

    // The link leads to entering them.
    await panel.getByRole('button', { name: 'Kapazitäten erfassen' }).click();
    await visible(page.getByRole('heading', { name: /Kapazitätsmeldungen aller Ämter/, level: 1 }));
    await expect.poll(() => page.url(), WAIT).toContain('mode=capacities');
    await context.close();
  });

  it('fills the remaining reports in the grid, then saves, decides and prints a need-based plan', { timeout: 180_000 }, async () => {
    const { context, page, watch } = await login(COORDINATOR, '#mode=capacities');
    await visible(page.getByRole('heading', { name: /Kapazitätsmeldungen aller Ämter/, level: 1 }));
    await count(page.locator('table.capgrid tbody tr.unknown'), 10);
    await page.locator('#cg-date').fill('2026-12-02');
    const rows = await page.locator('table.capgrid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.classList.contains('unknown')));
    let filled = 0;
    for (const [row, unknown] of rows.entries()) {
      if (!unknown) continue;
      const values = [30, 2, 5, 4, 6, 8, 3, 12, 1];
      for (const [col, v] of values.entries()) await page.locator(`#cg-${row}-${col}`).fill(String(v + (filled % 3)));
      filled++;
    }
    expect(filled).toBe(10);
    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    await visible(page.getByText('10 Kapazitätsmeldungen gespeichert.'));
    await count(page.locator('table.capgrid tbody tr.unknown'), 0);
    const stored = ((await (await (await api(page)).get(`/api/capacity/units?kreis=${KREIS}`)).json()) as { units: Unit[] }).units;
    expect(stored.every((u) => u.report !== null)).toBe(true);
    expect(CAPACITY_FIELDS.length).toBe(9);

    // A need-based plan: free Kita places weigh in.
    await page.getByRole('button', { name: 'Verteilungsplanung' }).click();
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await mapIdle(page);
    await page.getByLabel('Zu verteilende Personen (N)').fill('100');
    await page.getByRole('slider', { name: 'Freie Kita-Plätze' }).fill('1');
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '100 von 100 Personen verteilt');
    await count(page.locator('section.unknown-cap li.unknown'), 0);
    await page.getByLabel('Name des Plans').fill('Zuweisung Dezember');
    await page.getByRole('button', { name: 'Entwurf speichern' }).click();
    await visible(page.getByRole('heading', { name: 'Plan „Zuweisung Dezember“' }));
    await page.getByRole('button', { name: 'Entscheiden …' }).click();
    const dialog = page.getByRole('dialog');
    const reason = 'Verteilung nach Bevölkerungsschlüssel, gewichtet nach freien Kita-Plätzen laut Meldungen der Ämter.';
    await dialog.getByLabel(/Begründung der Entscheidung/).fill(reason);
    await dialog.getByRole('button', { name: 'Verbindlich entscheiden' }).click();
    await visible(page.getByText('Plan „Zuweisung Dezember“ entschieden; die Aufnahme wird angerechnet.'));
    const sheetLink = page.getByRole('link', { name: 'Entscheidungsvorlage' });
    await attribute(sheetLink, 'href', /\/api\/allocations\/plans\/\d+\/sheet$/);
    watch.assertClean();

    // The decision sheet, printed to PDF by Chromium.
    const sheet = await context.newPage();
    await sheet.goto(`${server!.url}${await sheetLink.getAttribute('href')}`);
    await containsText(sheet.locator('body'), 'Herzogtum Lauenburg');
    await containsText(sheet.locator('body'), 'Zuweisung Dezember');
    await containsText(sheet.locator('body'), reason);
    for (const u of stored.filter((x) => x.population > 0)) await containsText(sheet.locator('body'), u.name);
    const pdf = await sheet.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    await context.close();
  });

  it('lets a partner report a need by typing a place name', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await login(PARTNER, '');
    await visible(page.getByRole('heading', { level: 1, name: 'Bedarfe melden' }));
    const place = page.getByRole('combobox', { name: 'Ort (Gemeinde oder Amt)' });
    await place.fill('mölln');
    const option = page.getByRole('option', { name: /^Mölln/ }).first();
    await visible(option);
    await option.click();
    await visible(page.getByText(/Gewählt: Mölln/).first());
    await page.getByLabel('Titel').fill('Abendsprachkurs für Berufstätige');
    await page.getByRole('button', { name: 'Bedarf melden' }).click();
    await visible(page.locator('#partner-needs li').filter({ hasText: 'Abendsprachkurs für Berufstätige' }));
    watch.assertClean();
    await context.close();

    // The coordinator finds it in the Kreis, at Mölln.
    const c = await login(COORDINATOR, '');
    const needs = (await (await (await api(c.page)).get('/api/needs')).json()) as { features: { properties: { title: string; region_ars: string; region_name: string } }[] };
    const need = needs.features.find((f) => f.properties.title === 'Abendsprachkurs für Berufstätige');
    expect(need?.properties.region_name).toMatch(/Mölln/);
    await c.context.close();
  });

  it('lets an analyst create a token in the app, with which GDAL reads the OGC collections', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await login(ANALYST, '#mode=tokens');
    await visible(page.getByRole('heading', { level: 1, name: 'API-Token' }));
    await page.getByLabel('Name des Tokens').fill('QGIS Kreishaus');
    await page.getByRole('button', { name: 'Token erstellen' }).click();
    const token = await page.locator('#tok-secret').inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    watch.assertClean();
    await context.close();

    const header = ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${token}`];
    const { stdout } = await run('ogrinfo', ['-so', `OAPIF:${server!.url}/ogc`, ...header]);
    expect(stdout).toMatch(/regions-verband/);
    const out = join(dataDir, 'verbaende.geojson');
    await run('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${server!.url}/ogc`, 'regions-verband', ...header]);
    const fc = JSON.parse(await readFile(out, 'utf8')) as { features: { properties: { name: string } }[] };
    expect(fc.features.map((f) => f.properties.name).sort()).toEqual(units.map((u) => u.name).sort());
    await expect(run('ogrinfo', ['-so', `OAPIF:${server!.url}/ogc`, '--config', 'GDAL_HTTP_HEADERS', 'Authorization: Bearer nottherealtoken'])).rejects.toThrow();
  });
});
