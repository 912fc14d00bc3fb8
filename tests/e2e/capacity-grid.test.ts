import { describe, expect, it, onTestFailed } from 'vitest';
import ExcelJS from 'exceljs';
import type { Browser, Page, Request } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, attribute, containsText, count, screenshot, visible, watchErrors, withAppInBrowser } from './browser.ts';
import { openAs, pageApi, type AppSession } from './app-session.ts';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';

// The capacity grid in a real Chromium against the real server on a copy of the demo database:
// what it shows against what the API stores, keyboard entry, a pasted spreadsheet block, per-cell
// validation, one batch save, a version conflict, and a file import with its dry-run preview.

const KREIS = '010990000000';
const WAIT = { timeout: 15_000, interval: 100 };
const COLS = [...CAPACITY_FIELDS, 'report_date'] as const;

interface Unit {
  ars: string;
  name: string;
  version: number;
  report: (Record<(typeof CAPACITY_FIELDS)[number], number> & { report_date: string; id: number }) | null;
}

let server: ServerProcess;
let browser: Browser;
// Two units lose their reports, so the grid has units that never reported (unknown, not 0).
const NEVER_REPORTED = ['010995909000', '010995910000'];
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, async (db) => {
  await db.query("DELETE FROM capacity_reports WHERE region_id IN (SELECT id FROM regions WHERE level = 'verband' AND ars = ANY($1))", [NEVER_REPORTED]);
});

const cell = (page: Page, row: number, col: number) => page.locator(`#cg-${row}-${col}`);
const colOf = (field: string) => COLS.indexOf(field as (typeof COLS)[number]);

async function units(page: Page): Promise<Unit[]> {
  const res = await (await pageApi(page, server.url)).get(`/api/capacity/units?kreis=${KREIS}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { units: Unit[] }).units;
}

/**
 * Logs in as the demo coordinator straight onto the grid page (mode=capacities draws no map, so
 * unlike openAs nothing waits for one), with the same checks for page and console errors.
 */
async function openGridAs(): Promise<AppSession> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  const page = await context.newPage();
  const watch = watchErrors(page);
  onTestFailed(async () => {
    await screenshot(page, 'failed-capacity-grid').catch(() => undefined);
  });
  await page.goto(`${server.url}/?e2e#mode=capacities`);
  await page.getByLabel('E-Mail-Adresse').fill('coordinator@demo.local');
  await page.getByLabel('Passwort').fill('demo');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  return { context, page, watch };
}

async function openGrid(page: Page): Promise<Unit[]> {
  await attribute(page.getByRole('button', { name: 'Kapazitätsmeldungen' }), 'aria-pressed', 'true');
  await visible(page.getByRole('heading', { name: /Kapazitätsmeldungen aller Ämter/, level: 1 }));
  const stored = await units(page);
  await count(page.locator('table.capgrid tbody tr'), stored.length);
  return stored;
}

/** Every cell shows the stored value; units without a report say so and have empty cells. */
async function gridShows(page: Page, stored: Unit[]): Promise<void> {
  const shown = await page.locator('table.capgrid tbody tr').evaluateAll((rows) => rows.map((tr) => ({
    ars: tr.getAttribute('data-ars'),
    unknown: tr.classList.contains('unknown'),
    last: tr.querySelector('td.last')?.textContent?.trim(),
    values: [...tr.querySelectorAll('input')].map((i) => (i as unknown as { value: string }).value),
  })));
  expect(shown.map((r) => r.ars)).toEqual(stored.map((u) => u.ars));
  stored.forEach((u, i) => {
    const row = shown[i]!;
    expect(row.unknown).toBe(!u.report);
    if (!u.report) expect(row.last).toBe('noch keine Meldung');
    expect(row.values.slice(0, CAPACITY_FIELDS.length)).toEqual(CAPACITY_FIELDS.map((f) => (u.report ? String(u.report[f]) : '')));
  });
}

/** Index of the first of `n` consecutive units that all have a report. */
function reportedRun(stored: Unit[], n: number, from = 0): number {
  for (let i = from; i + n <= stored.length; i++) if (stored.slice(i, i + n).every((u) => u.report)) return i;
  throw new Error(`no ${n} consecutive reported units`);
}

async function pasteInto(page: Page, row: number, col: number, text: string): Promise<void> {
  await cell(page, row, col).click();
  // A real paste event with the spreadsheet's text/plain, as Ctrl+V from Excel or LibreOffice sends it.
  await cell(page, row, col).evaluate((el, t) => {
    const g = globalThis as unknown as { DataTransfer: new () => { setData(type: string, value: string): void }; ClipboardEvent: new (type: string, init: unknown) => unknown };
    const dt = new g.DataTransfer();
    dt.setData('text/plain', t);
    (el as unknown as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

const focused = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);

function batchBodies(page: Page): unknown[] {
  const bodies: unknown[] = [];
  page.on('request', (r: Request) => {
    if (r.method() === 'POST' && r.url().includes('/api/capacity/batch')) bodies.push(r.postDataJSON());
  });
  return bodies;
}

describe('the capacity grid in Chromium', () => {
  it('shows the stored reports, takes keyboard entry and a pasted block, validates per cell and saves all changed rows at once', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openGridAs();
    const sent = batchBodies(page);
    const stored = await openGrid(page);
    expect(stored.some((u) => !u.report)).toBe(true);
    await gridShows(page, stored);
    await assertAccessible(page, 'capacity grid');
    await screenshot(page, 'capacity-grid');

    // Saving without a change sends nothing.
    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    await visible(page.getByText('Keine Änderungen zu speichern.'));
    expect(sent).toEqual([]);

    // Two cells typed with the keyboard: Tab and Enter move on and select the next cell's text.
    const a = reportedRun(stored, 1);
    await cell(page, a, 0).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('40');
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page), WAIT).toBe(`cg-${a}-1`);
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), WAIT).toBe(`cg-${a + 1}-1`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await expect.poll(() => focused(page), WAIT).toBe(`cg-${a}-0`);
    await attribute(page.locator(`tr[data-ars="${stored[a]!.ars}"]`), 'class', /changed/);

    // A 2 × 3 block pasted from a spreadsheet into kita_free of two other reported units, with a
    // German thousands separator and one value that is not a whole number.
    const b = reportedRun(stored, 2, a + 1);
    const kita = colOf('kita_free');
    await pasteInto(page, b, kita, '1.234\t5\t6\r\n7\t8,5\t9\r\n');
    await expect.poll(() => cell(page, b, kita).inputValue(), WAIT).toBe('1.234');
    expect(await cell(page, b + 1, kita + 2).inputValue()).toBe('9');
    const bad = cell(page, b + 1, kita + 1);
    await attribute(bad, 'aria-invalid', 'true');
    const errorId = (await bad.getAttribute('aria-describedby'))!;
    await containsText(page.locator(`#${errorId}`), 'keine ganze Zahl');

    // Saving is refused while a cell is invalid; the summary links to the cell. Then it is fixed.
    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    await visible(page.getByRole('link', { name: /keine ganze Zahl/ }));
    expect(sent).toEqual([]);
    await bad.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('8');
    await expect.poll(() => bad.getAttribute('aria-invalid'), WAIT).toBeNull();

    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    await visible(page.getByText('3 Kapazitätsmeldungen gespeichert.'));
    expect(sent).toHaveLength(1);
    const reports = (sent[0] as { reports: { ars: string; version: number; housing_free: number; kita_free: number }[] }).reports;
    expect(reports.map((r) => r.ars).sort()).toEqual([stored[a]!.ars, stored[b]!.ars, stored[b + 1]!.ars].sort());
    expect(reports.find((r) => r.ars === stored[a]!.ars)).toMatchObject({ housing_free: 40, version: stored[a]!.version });
    expect(reports.find((r) => r.ars === stored[b]!.ars)).toMatchObject({ kita_free: 1234 });

    // After a reload the grid shows what the server stored.
    await page.reload();
    const after = await units(page);
    await count(page.locator('table.capgrid tbody tr'), after.length);
    await gridShows(page, after);
    const byArs = new Map(after.map((u) => [u.ars, u]));
    expect(byArs.get(stored[a]!.ars)!.report).toMatchObject({ housing_free: 40, housing_free_barrier_free: 4 });
    expect(byArs.get(stored[b]!.ars)!.report).toMatchObject({ kita_free: 1234, school_free: 5, language_course_free: 6 });
    expect(byArs.get(stored[b + 1]!.ars)!.report).toMatchObject({ kita_free: 7, school_free: 8, language_course_free: 9 });
    expect(byArs.get(stored[a]!.ars)!.version).toBeGreaterThan(stored[a]!.version);
    watch.assertClean();
    await context.close();
  });

  it('reports a unit changed elsewhere since loading, reloads it and keeps the other input', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openGridAs();
    const stored = await openGrid(page);
    const a = reportedRun(stored, 2);
    const [ua, ub] = [stored[a]!, stored[a + 1]!];
    await cell(page, a, colOf('school_free')).fill('11');
    await cell(page, a + 1, colOf('school_free')).fill('22');

    // Meanwhile someone else reports for the first unit (dated today, so it is the latest one).
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    const api = await pageApi(page, server.url);
    const { id: _id, ...other } = ua.report!;
    const res = await api.post('/api/capacity/batch', {
      reports: [{ ...Object.fromEntries(CAPACITY_FIELDS.map((f) => [f, other[f]])), ars: ua.ars, version: ua.version, report_date: today, gp_accepting: 77 }],
    });
    expect(res.status()).toBe(200);

    watch.allow(412);
    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'inzwischen geänderte Meldungen' });
    await visible(conflict);
    await containsText(conflict.locator(`li[data-ars="${ua.ars}"]`), `${ua.name}: neue Meldung vom`);
    expect(await conflict.locator(`li[data-ars="${ub.ars}"]`).count()).toBe(0);
    // The conflicting row shows the newer report; the other row keeps what was typed.
    await expect.poll(() => cell(page, a, colOf('gp_accepting')).inputValue(), WAIT).toBe('77');
    expect(await cell(page, a, colOf('school_free')).inputValue()).toBe(String(ua.report!.school_free));
    expect(await cell(page, a + 1, colOf('school_free')).inputValue()).toBe('22');
    await screenshot(page, 'capacity-grid-conflict');

    // Saving again writes the kept input against the current versions.
    await page.getByRole('button', { name: 'Alle Änderungen speichern' }).click();
    await visible(page.getByText('Eine Kapazitätsmeldung gespeichert.'));
    const after = new Map((await units(page)).map((u) => [u.ars, u]));
    expect(after.get(ub.ars)!.report).toMatchObject({ school_free: 22 });
    expect(after.get(ua.ars)!.report).toMatchObject({ gp_accepting: 77, school_free: ua.report!.school_free });
    watch.assertClean();
    await context.close();
  });

  it('imports an XLSX file after a dry-run preview, and the grid shows the imported reports', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openGridAs();
    const stored = await openGrid(page);
    const unknown = stored.filter((u) => !u.report).slice(0, 2);
    const known = stored.find((u) => u.report)!;
    expect(unknown).toHaveLength(2);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Meldungen');
    ws.addRow(['Amt', 'Stichtag', 'Freie Wohnplätze', 'davon barrierefrei', 'GU-Plätze', 'Kita', 'Schule', 'Sprachkurs', 'Hausärzte', 'Untergebracht', 'Zugang'].map((h) => h));
    const values = (u: Unit, i: number) => [u.name, '01.12.2026', 10 + i, 1, 20, 3, 4, 5, 1, 30 + i, 12];
    unknown.forEach((u, i) => ws.addRow(values(u, i)));
    const same = known.report!;
    ws.addRow([known.name, same.report_date, ...CAPACITY_FIELDS.map((f) => same[f])]);
    wb.addWorksheet('Hinweise').addRow(['Bitte bis Monatsende zurücksenden']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    await page.getByText('Aus Datei übernehmen (CSV oder XLSX)').click();
    await page.setInputFiles('#cg-import-file', { name: 'kapazitaeten.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    const preview = page.locator('table.preview');
    await visible(preview);
    await containsText(page.getByRole('heading', { name: /Vorschau/ }), 'Vorschau: 3 Zeilen aus XLSX');
    await visible(page.getByText('Nicht gelesene Tabellenblätter: Hinweise'));
    const first = preview.locator(`tr[data-ars="${unknown[0]!.ars}"]`);
    await containsText(first, 'neue Meldung');
    await containsText(first, 'Freie Wohnplätze: – → 10');
    await containsText(preview.locator(`tr[data-ars="${known.ars}"]`), 'unverändert');
    // The dry run wrote nothing.
    expect((await units(page)).filter((u) => unknown.some((x) => x.ars === u.ars)).every((u) => !u.report)).toBe(true);
    await screenshot(page, 'capacity-import-preview');

    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await visible(page.getByText(/Meldungen aus der Datei übernommen/));
    const row = page.locator(`tr[data-ars="${unknown[1]!.ars}"]`);
    await expect.poll(async () => row.evaluate((tr) => tr.classList.contains('unknown')), WAIT).toBe(false);
    await expect.poll(() => row.locator('input').first().inputValue(), WAIT).toBe('11');
    const after = new Map((await units(page)).map((u) => [u.ars, u]));
    expect(after.get(unknown[0]!.ars)!.report).toMatchObject({ report_date: '2026-12-01', housing_free: 10, refugees_housed: 30 });

    // A broken file is refused with the reasons, and nothing is written.
    watch.allow(400);
    await page.setInputFiles('#cg-import-file', { name: 'kaputt.csv', mimeType: 'text/csv', buffer: Buffer.from('Amt;Stichtag;Kita\nNirgendwo;01.12.2026;1,5\n') });
    const errors = page.getByRole('alert').filter({ hasText: 'Die Datei wurde nicht übernommen' });
    await visible(errors);
    expect(await errors.locator('li').count()).toBeGreaterThan(0);
    watch.assertClean();
    await context.close();
  });

  it('keeps the single report form inside the narrow side panel of the planning view', { timeout: 60_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator', '#mode=plan&level=verband&sel=region:010990019000');
    await page.getByRole('button', { name: 'Kapazitätsmeldung erfassen' }).click();
    const panel = page.locator('aside.detail');
    await visible(panel.getByLabel('Plätze in Gemeinschaftsunterkünften'));
    const { scroll, client } = await panel.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    // The two-column grid once forced the panel 44 px wider than its 22rem here.
    expect(scroll).toBeLessThanOrEqual(client);
    await screenshot(page, 'capacity-form');
    watch.assertClean();
    await context.close();
  });
});
