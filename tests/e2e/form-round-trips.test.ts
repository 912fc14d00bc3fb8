import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page, Request } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import { containsText, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// Open-and-save is the identity in Chromium, for the forms besides the offer's
// (offer-form-round-trip.test.ts): the capacity report form, the coordinator's need status and
// assignment controls, and a plan's parameters taken over and saved again. Each is opened and
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

  it('need status and assignment: each control changes its one field; every other field, the external id included, stays', { timeout: 300_000 }, async () => {
    const admin = await adminApi();
    const { context, page, watch } = await open('coordinator', `#sel=need:${needId}`);
    const sent = writes(page, /\/api\/needs\//);
    const { get } = await pageApi(page, server.url);
    const read = async () => {
      const res = await get(`/api/needs/${needId}`);
      return { etag: res.headers().etag, p: ((await res.json()) as { properties: Stored }).properties };
    };
    const before = await read();
    expect(before.p).toMatchObject({ external_id: 'E2E-N-1', status: 'neu', priority: 'hoch', reported_by: 'Beratungsstelle Nord' });
    const audits = await admin.audits();
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await visible(detail.getByRole('heading', { name: 'Abendkurs fehlt (E2E)' }));
    // Opened and left: nothing is written.
    expect(sent).toEqual([]);
    expect(await read()).toEqual(before);

    await detail.getByRole('button', { name: 'In Bearbeitung nehmen' }).click();
    await expect.poll(async () => (await read()).p.status, WAIT).toBe('in_bearbeitung');
    const started = await read();
    const { status: _s1, version: v1, updated_at: _u1, ...rest1 } = started.p;
    const { status: _s0, version: v0, updated_at: _u0, ...rest0 } = before.p;
    expect(rest1).toEqual(rest0);
    expect(v1).toBe((v0 as number) + 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('PUT');
    await expect.poll(() => admin.audits(), WAIT).toBe(audits + 1);

    // Back to "neu": the record is the first one again, but for its version.
    await containsText(detail, 'In Bearbeitung');
    await detail.getByRole('button', { name: 'Wieder öffnen' }).click();
    await expect.poll(async () => (await read()).p.status, WAIT).toBe('neu');
    const reopened = await read();
    const { version: v2, updated_at: _u2, ...rest2 } = reopened.p;
    const { version: _v0, updated_at: _u3, ...all0 } = before.p;
    expect(rest2).toEqual(all0);
    expect(v2).toBe((v0 as number) + 2);

    // Assigned in the inbox: the assignment is an event of the need; the need itself is untouched.
    await page.getByRole('tab', { name: 'Bedarfe bearbeiten' }).click();
    const entry = page.locator('li, article, tr').filter({ hasText: 'Abendkurs fehlt (E2E)' }).filter({ has: page.getByRole('button', { name: 'Mir zuweisen' }) }).first();
    await entry.getByRole('button', { name: 'Mir zuweisen' }).click();
    await visible(entry.getByText('Ihnen zugewiesen.'));
    expect(await read()).toEqual(reopened);
    watch.assertClean();
    await context.close();
  });

  it('plan: parameters taken over from a saved plan and saved again give the same stored request; the decision stores the justification as typed', { timeout: 420_000 }, async () => {
    const { context, page, watch } = await open('coordinator', '#mode=plan');
    const api = await pageApi(page, server.url);
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    const engine = async () => JSON.parse((await page.locator('.planning-inner').getAttribute('data-engine-input')) ?? 'null') as Stored | null;

    // A plan with several controls set.
    await page.getByLabel('Zu verteilende Personen (N)').fill('55');
    await page.getByLabel('Abweichung vom gesetzlichen Schlüssel begrenzen').check();
    await page.locator('#max-deviation').fill('15');
    await page.getByLabel('Anrechnung Gemeinschaftsunterkunft (Personen je Platz)').fill('0.5');
    const kita = page.getByRole('slider', { name: 'Freie Kita-Plätze' });
    await kita.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await engine())?.weights, WAIT).toMatchObject({ kita_free: 0.1 });
    const saveAs = async (name: string) => {
      await page.getByLabel('Name des Plans').fill(name);
      await page.getByRole('button', { name: 'Entwurf speichern' }).click();
      await visible(page.getByRole('heading', { name: `Plan „${name}“` }));
      await expect.poll(() => Number(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('plan')), WAIT).toBeGreaterThan(0);
      const id = Number(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('plan'));
      const res = await api.get(`/api/allocations/plans/${id}`);
      return { id, etag: res.headers().etag, plan: (await res.json()) as Stored & { inputs: { request: Stored }; result: Stored } };
    };
    const first = await saveAs('E2E Rundreise A');
    const shownBefore = await engine();

    // Everything reset, then the plan's parameters taken over: the engine input is the plan's.
    await page.goto(`${server.url}/?e2e#mode=plan`);
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await expect.poll(async () => (await engine())?.n, WAIT).toBe(40);
    await page.goto(`${server.url}/?e2e#mode=plan&ptab=plans&plan=${first.id}`);
    await visible(page.getByRole('heading', { name: 'Plan „E2E Rundreise A“' }));
    await page.getByRole('button', { name: 'Parameter übernehmen' }).click();
    await expect.poll(engine, WAIT).toEqual(shownBefore);
    const { kreis: _k, period: _p, mode: _m, ...request } = first.plan.inputs.request;
    expect(await engine()).toMatchObject(request);
    // Reloaded from its own URL, the same engine input.
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await expect.poll(engine, WAIT).toEqual(shownBefore);

    const second = await saveAs('E2E Rundreise B');
    expect(second.plan.inputs.request).toEqual(first.plan.inputs.request);
    expect((second.plan.result as { units: unknown }).units).toEqual((first.plan.result as { units: unknown }).units);

    // Decided with a justification: stored and shown exactly as typed; nothing else changes.
    const justification = 'Abgestimmt mit den Ämtern am 3.12.; Kita-Plätze gewichtet („knapp“).';
    await page.getByRole('button', { name: 'Entscheiden …' }).click();
    await page.getByLabel(/Begründung der Entscheidung/).fill(justification);
    await page.getByRole('button', { name: 'Verbindlich entscheiden' }).click();
    await expect.poll(async () => ((await (await api.get(`/api/allocations/plans/${second.id}`)).json()) as Stored).status, WAIT).toBe('decided');
    const decided = (await (await api.get(`/api/allocations/plans/${second.id}`)).json()) as Stored & { inputs: { request: Stored } };
    expect(decided.justification).toBe(justification);
    expect(decided.inputs.request).toEqual(second.plan.inputs.request);
    expect(decided.name).toBe('E2E Rundreise B');
    await containsText(page.locator('dd.justification'), justification);
    watch.assertClean();
    await context.close();
  });
});

function open(role: 'coordinator', hash: string) {
  return openAs(browser, server.url, role, hash);
}
