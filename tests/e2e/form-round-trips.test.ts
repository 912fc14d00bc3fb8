import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page, Request } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import { containsText, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// Open-and-save is the identity in Chromium, for the forms besides the offer's
// (offer-form-round-trip.test.ts): the capacity report form here. (The need status/assignment
// and plan open-and-save tests are still to be written against the app's real controls.) It is opened and
// saved without an edit (nothing sent, or nothing stored changed: record, version/ETag, audit
// log), then one field is changed and only that field changes. The capacity grid's "save without
// a change sends nothing" is in capacity-grid.test.ts, the partner's need form (it only creates)
// in places.test.ts.

const WAIT = { timeout: 60_000, interval: 250 };
// The browser's "today", as the capacity form computes its default report date.
const TODAY = new Date().toISOString().slice(0, 10);
const NOTE = 'Zahlen vom Amt bestätigt; Kita ab März';

let server: ServerProcess;
let browser: Browser;
let unit: { ars: string; name: string };
let needId: number;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, async (db) => {
  // A unit whose latest report is today's, with a note; a need carrying every field.
  unit = (await db.query<{ ars: string; name: string }>(
    "SELECT ars, name FROM regions WHERE level = 'verband' AND ars LIKE '01099%' AND population > 0 ORDER BY ars LIMIT 1")).rows[0]!;
  await db.query(`
    INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
           school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd, note)
    SELECT id, $2, 12, 3, 40, 5, 6, 7, 2, 150, 30, $3 FROM regions WHERE ars = $1`, [unit.ars, TODAY, NOTE]);
  needId = (await db.query<{ id: number }>(`
    INSERT INTO needs (region_id, external_id, category_key, kind, title, description, priority, status, reported_by)
    SELECT id, 'E2E-N-1', 'sprache', 'angebotsluecke', 'Abendkurs fehlt (E2E)', 'Kein Kurs nach 18 Uhr; Bedarf „hoch“', 'hoch', 'neu', 'Beratungsstelle Nord'
      FROM regions WHERE level = 'gemeinde' AND ars LIKE '01099%' AND population > 0 ORDER BY population DESC LIMIT 1
    RETURNING id`)).rows[0]!.id;
});

/** An admin's API session beside the page, for the audit log. */
async function adminApi(): Promise<{ audits: () => Promise<number>; request: APIRequestContext }> {
  const context = await browser.newContext();
  const login = await context.request.post(`${server.url}/api/auth/login`, { data: { email: 'admin@demo.local', password: 'demo' } });
  expect(login.status()).toBe(200);
  return {
    request: context.request,
    audits: async () => ((await (await context.request.get(`${server.url}/api/audit?limit=1`)).json()) as { total: number }).total,
  };
}

/** Bodies of the page's writes to paths matching `path`. */
function writes(page: Page, path: RegExp): { method: string; path: string; body: unknown }[] {
  const seen: { method: string; path: string; body: unknown }[] = [];
  page.on('request', (r: Request) => {
    const p = new URL(r.url()).pathname;
    if (r.method() !== 'GET' && path.test(p)) seen.push({ method: r.method(), path: p, body: r.postData() ? r.postDataJSON() : null });
  });
  return seen;
}

type Stored = Record<string, unknown>;

describe('open and save is the identity in Chromium', () => {
  it('capacity form: saved without edits sends nothing and keeps the note; one changed count changes only that count', { timeout: 420_000 }, async () => {
    const admin = await adminApi();
    const { context, page, watch } = await open('coordinator', `#mode=plan&level=verband&sel=region:${unit.ars}`);
    const sent = writes(page, /\/capacity$/);
    const { get } = await pageApi(page, server.url);
    const history = async () => {
      const res = await get(`/api/regions/${unit.ars}/capacity`);
      return { etag: res.headers().etag, reports: ((await res.json()) as { reports: Stored[] }).reports };
    };
    const before = await history();
    expect(before.reports[0]).toMatchObject({ report_date: TODAY, kita_free: 5, note: NOTE });
    const audits = await admin.audits();

    const form = page.locator('form[aria-labelledby="cap-title"]');
    await page.getByRole('button', { name: 'Kapazitätsmeldung erfassen' }).click();
    await expect.poll(() => form.getByLabel('Freie Kita-Plätze').inputValue(), WAIT).toBe('5');
    // Every field shows the stored report, the note included (it was once left empty and lost on save).
    for (const f of CAPACITY_FIELDS) expect(await form.locator(`#cap-${f}`).inputValue(), f).toBe(String(before.reports[0]![f]));
    expect(await form.getByLabel('Bemerkung').inputValue()).toBe(NOTE);
    expect(await form.getByLabel('Stichtag').inputValue()).toBe(TODAY);
    await form.getByRole('button', { name: 'Meldung speichern' }).click();
    await visible(page.getByText(/Keine Änderung: Die Meldung für .* gilt unverändert/));
    expect(sent).toEqual([]);
    const unchanged = await history();
    expect(unchanged).toEqual(before);
    expect(await admin.audits()).toBe(audits);

    // One count changed: one report appended; it differs from the previous one in that count only.
    await page.getByRole('button', { name: 'Kapazitätsmeldung erfassen' }).click();
    await expect.poll(() => form.getByLabel('Freie Kita-Plätze').inputValue(), WAIT).toBe('5');
    await form.getByLabel('Freie Kita-Plätze').fill('9');
    await form.getByRole('button', { name: 'Meldung speichern' }).click();
    await expect.poll(() => sent.length, WAIT).toBe(1);
    await expect.poll(async () => (await history()).reports.length, WAIT).toBe(before.reports.length + 1);
    const after = await history();
    expect(after.etag).not.toBe(before.etag);
    const { id: _a, created_at: _b, ...next } = after.reports[0]!;
    const { id: _c, created_at: _d, ...previous } = before.reports[0]!;
    expect(next).toEqual({ ...previous, kita_free: 9 });
    expect(await admin.audits()).toBe(audits + 1);
    watch.assertClean();
    await context.close();
  });
});

function open(role: 'coordinator', hash: string) {
  return openAs(browser, server.url, role, hash);
}
