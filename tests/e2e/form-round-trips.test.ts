import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page, Request } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import { CRITERION_KEYS } from '../../core/src/registries/weights.ts';
import { containsText, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// Open-and-save is the identity in Chromium, for the forms besides the offer's
// (offer-form-round-trip.test.ts): the capacity report form, the coordinator's need controls
// (status in the detail view, assignment in the inbox) and a saved plan's parameters taken over
// into the planning form. Each is opened and saved without an edit (nothing sent, or nothing
// stored changed: record, version/ETag, audit log, history), then one field is changed and only
// that field changes. The capacity grid's "save without a change sends nothing" is in
// capacity-grid.test.ts, the partner's need form (it only creates) in places.test.ts.

const WAIT = { timeout: 60_000, interval: 250 };
// The browser's "today", as the capacity form computes its default report date.
const TODAY = new Date().toISOString().slice(0, 10);
const NOTE = 'Zahlen vom Amt bestätigt; Kita ab März';
const KREIS = '010990000000';
const NEED_TITLE = 'Abendkurs fehlt (E2E)';

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

/** An API session beside the page (the admin's by default, for the audit log), with its CSRF token for writes. */
async function adminApi(email = 'admin@demo.local'): Promise<{ audits: () => Promise<number>; request: APIRequestContext; csrf: string }> {
  const context = await browser.newContext();
  const login = await context.request.post(`${server.url}/api/auth/login`, { data: { email, password: 'demo' } });
  expect(login.status()).toBe(200);
  const me = (await (await context.request.get(`${server.url}/api/auth/me`)).json()) as { csrf_token: string };
  return {
    request: context.request,
    csrf: me.csrf_token,
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
type HistoryEntry = { action: string; actor: string | null; changes: { field: string; from: unknown; to: unknown }[] };

/** `record` without the named fields. */
function without(record: Stored, ...fields: string[]): Stored {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !fields.includes(k)));
}

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

  it('need: opened and read sends nothing; a status set changes only the status; a status applied anyway that already holds changes nothing; an assignment changes only the assignee', { timeout: 420_000 }, async () => {
    const admin = await adminApi();
    const { context, page, watch } = await open('coordinator', `#sel=need:${needId}&tab=inbox`);
    const sent = writes(page, /^\/api\/needs\//);
    const api = await pageApi(page, server.url);
    const me = (await (await api.get('/api/auth/me')).json()) as { id: number };
    const read = async () => {
      const res = await api.get(`/api/needs/${needId}`);
      return { etag: res.headers().etag, p: ((await res.json()) as { properties: Stored }).properties };
    };
    const history = async () => ((await (await api.get(`/api/history/need/${needId}`)).json()) as { entries: HistoryEntry[] }).entries;
    const before = await read();
    expect(before.p).toMatchObject({ external_id: 'E2E-N-1', status: 'neu', priority: 'hoch', reported_by: 'Beratungsstelle Nord', description: 'Kein Kurs nach 18 Uhr; Bedarf „hoch“' });
    const entries = await history();
    const audits = await admin.audits();

    // Opened in the detail view, its Verlauf and its inbox activity read: nothing is written.
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await visible(detail.getByRole('heading', { name: NEED_TITLE }));
    await containsText(detail.locator('.kind .badge'), /^neu$/);
    // The status controls offer the other statuses only: there is no "set it to what it is".
    expect(await detail.locator('.status-control button').allTextContents()).toEqual(['In Bearbeitung nehmen', 'Erledigt']);
    const verlauf = detail.locator('details[data-history="need"]');
    await verlauf.locator('summary').click();
    await containsText(verlauf, 'Noch keine Einträge.');
    const item = () => page.locator('.inbox li').filter({ has: page.getByRole('button', { name: NEED_TITLE, exact: true }) });
    // "Verlauf und Kommentare", then "Verlauf schließen" (the title follows, visually hidden).
    const activity = () => item().locator(`button[aria-controls="activity-${needId}"]`);
    await containsText(activity(), /^Verlauf und Kommentare/);
    await activity().click();
    await containsText(item(), 'Niemandem zugewiesen.');
    await containsText(item(), 'Noch keine Einträge.');
    expect(sent).toEqual([]);
    expect(await read()).toEqual(before);
    expect(await history()).toEqual(entries);
    expect(await admin.audits()).toBe(audits);

    // One status set: the PUT sends the record as read with that one field changed, and only it changes.
    await detail.getByRole('button', { name: 'In Bearbeitung nehmen' }).click();
    await expect.poll(async () => (await read()).p.status, WAIT).toBe('in_bearbeitung');
    const started = await read();
    expect(sent).toEqual([{
      method: 'PUT', path: `/api/needs/${needId}`,
      body: {
        region_ars: before.p.region_key, region_level: before.p.region_level, category: before.p.category, kind: before.p.kind, title: before.p.title,
        description: before.p.description, priority: before.p.priority, status: 'in_bearbeitung', reported_by: before.p.reported_by,
      },
    }]);
    expect(without(started.p, 'status', 'version', 'updated_at')).toEqual(without(before.p, 'status', 'version', 'updated_at'));
    expect(started.p.version).toBe((before.p.version as number) + 1);
    expect(started.etag).not.toBe(before.etag);
    expect(await admin.audits()).toBe(audits + 1);
    const afterStart = await history();
    expect(afterStart.slice(0, entries.length)).toEqual(entries);
    expect(afterStart.slice(entries.length)).toMatchObject([{ action: 'update', actor: 'Demo Koordination', changes: [{ field: 'status', from: 'neu', to: 'in_bearbeitung' }] }]);
    expect(afterStart.at(-1)!.changes).toHaveLength(1);
    // The detail view shows it, and so does the need's Verlauf (reloaded after the change).
    await containsText(detail.locator('.kind .badge'), /^in Bearbeitung$/);
    const change = verlauf.locator('ul.changes li');
    await expect.poll(() => change.count(), WAIT).toBe(1);
    await containsText(change, 'Status');
    await containsText(change.locator('del'), /^neu$/);
    // The new value by its label in the interface language; the stored key in the title.
    await containsText(change.locator('ins'), /^in Bearbeitung$/);
    expect(await change.locator('ins').getAttribute('title')).toBe('in_bearbeitung');

    // Someone else finishes it meanwhile; this page still offers "Erledigt" on the version it read.
    // Its PUT is refused (412), the page shows the other's status, and "apply anyway" sends a
    // record equal to the stored one: the server writes nothing (no version, audit entry, history).
    const body = sent[0]!.body as Stored;
    const finishedElsewhere = await admin.request.put(`${server.url}/api/needs/${needId}`, { data: { ...body, status: 'erledigt' }, headers: { 'if-match': started.etag!, 'x-csrf-token': admin.csrf } });
    expect(finishedElsewhere.status()).toBe(200);
    const finished = await read();
    const auditsFinished = await admin.audits();
    const entriesFinished = await history();
    watch.allow(412);
    await detail.getByRole('button', { name: 'Erledigt' }).click();
    const conflict = detail.getByRole('alert').filter({ hasText: 'Inzwischen geändert' });
    await containsText(conflict, 'Der Status ist jetzt „erledigt“. Trotzdem auf „erledigt“ setzen?');
    await conflict.getByRole('button', { name: 'Trotzdem setzen' }).click();
    await expect.poll(() => sent.length, WAIT).toBe(3);
    await visible(page.getByText(`„${NEED_TITLE}“ ist jetzt: erledigt.`));
    expect(sent.slice(1).map((w) => w.body)).toEqual([{ ...body, status: 'erledigt' }, { ...body, status: 'erledigt' }]);
    expect(await read()).toEqual(finished);
    expect(await history()).toEqual(entriesFinished);
    expect(await admin.audits()).toBe(auditsFinished);
    await containsText(detail.locator('.kind .badge'), /^erledigt$/);

    // Assigned in the inbox: the assignee changes (an event, and a field in the Verlauf); the
    // need's own document keeps every field but its version.
    // The inbox lists it under "erledigt" now (a new entry there, its activity closed).
    const done = page.locator('section[aria-labelledby="inbox-erledigt"] li').filter({ has: page.getByRole('button', { name: NEED_TITLE, exact: true }) });
    await visible(done);
    if ((await activity().getAttribute('aria-expanded')) !== 'true') await activity().click();
    await containsText(item(), 'Niemandem zugewiesen.');
    await containsText(item(), 'Status: in Bearbeitung → erledigt');
    await item().getByRole('button', { name: 'Mir zuweisen' }).click();
    await containsText(item(), 'Ihnen zugewiesen.');
    await containsText(item(), 'zugewiesen an mich');
    expect(sent.slice(3)).toEqual([{ method: 'POST', path: `/api/needs/${needId}/events`, body: { kind: 'assign', assigned_to: me.id } }]);
    const assigned = await read();
    expect(without(assigned.p, 'version', 'updated_at')).toEqual(without(finished.p, 'version', 'updated_at'));
    expect(assigned.p.version).toBe((finished.p.version as number) + 1);
    expect(((await (await api.get(`/api/needs/${needId}/events`)).json()) as { assigned_to: number | null }).assigned_to).toBe(me.id);
    expect(await admin.audits()).toBe(auditsFinished + 1);
    expect((await history()).slice(entriesFinished.length)).toMatchObject([{ action: 'update', changes: [{ field: 'assigned_to', from: null, to: me.id }] }]);
    watch.assertClean();
    await context.close();
  });

  it('plan: a saved plan opened and its parameters taken over, saved again without an edit, sends nothing; with one changed N, the new plan differs in N only', { timeout: 420_000 }, async () => {
    // Plan A, saved through the API with every parameter set (every criterion weight, as the
    // planning form sends them).
    const coordinator = await adminApi('coordinator@demo.local');
    const post = (path: string, data: unknown) => coordinator.request.post(`${server.url}${path}`, { data, headers: { 'x-csrf-token': coordinator.csrf } });
    const units = ((await (await post('/api/allocations/suggest', { kreis: KREIS, mode: 'aggregate', n: 0, weights: {} })).json()) as { inputs: { units: { key: string }[] } }).inputs.units.map((u) => u.key).sort();
    expect(units.length).toBeGreaterThan(3);
    const weights = { ...Object.fromEntries(CRITERION_KEYS.map((k) => [k, 0])), kita_free: 0.1, load: 1 };
    const request = {
      kreis: KREIS, mode: 'aggregate', n: 55, weights, max_deviation: { unit: 'persons', value: 20 }, shared_accommodation_credit: 0.5,
      unknown_capacity: 'unlimited', excluded: [units.at(-1)!], bounds: { [units.at(-2)!]: { max: 2 } },
    };
    const suggested = (await (await post('/api/allocations/suggest', request)).json()) as { inputs: { period: number }; result: { ok: boolean } };
    expect(suggested.result.ok).toBe(true);
    const created = await post('/api/allocations/plans', { name: 'E2E Rundreise', request: { ...request, period: suggested.inputs.period }, result: suggested.result });
    expect(created.status()).toBe(201);
    const planId = ((await created.json()) as { id: number }).id;

    const admin = await adminApi();
    const { context, page, watch } = await open('coordinator', `#mode=plan&ptab=plans&plan=${planId}`);
    const sent = writes(page, /^\/api\/allocations\/plans/);
    const api = await pageApi(page, server.url);
    type Plan = Stored & { inputs: { request: Stored }; result: { units: unknown } };
    const readPlan = async (id: number) => {
      const res = await api.get(`/api/allocations/plans/${id}`);
      return { etag: res.headers().etag, plan: (await res.json()) as Plan };
    };
    const planHistory = async () => ((await (await api.get(`/api/history/plan/${planId}`)).json()) as { entries: HistoryEntry[] }).entries;
    const planCount = async () => ((await (await api.get(`/api/allocations/plans?kreis=${KREIS}`)).json()) as { total: number }).total;
    const before = await readPlan(planId);
    expect(before.plan.inputs.request).toMatchObject(request);
    const entries = await planHistory();
    const plans = await planCount();
    const audits = await admin.audits();
    const engine = async () => JSON.parse((await page.locator('.planning-inner').getAttribute('data-engine-input')) || 'null') as Stored | null;

    // Opened from its link: shown, nothing written.
    await visible(page.getByRole('heading', { name: 'Plan „E2E Rundreise“' }));
    expect(sent).toEqual([]);

    // Its parameters taken over: the planning form computes exactly the plan's request.
    await page.getByRole('button', { name: 'Parameter übernehmen' }).click();
    const { kreis: _k, period: _p, mode: _m, ...parameters } = before.plan.inputs.request;
    await expect.poll(engine, WAIT).toEqual(parameters);
    await expect.poll(() => page.getByLabel('Zu verteilende Personen (N)').inputValue(), WAIT).toBe('55');
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '55 von 55');

    // Saved without an edit: it would be the same plan again; nothing is sent, nothing stored changes.
    const save = page.getByRole('button', { name: 'Entwurf speichern' });
    await page.getByLabel('Name des Plans').fill('E2E Rundreise (Kopie)');
    await save.click();
    await visible(page.getByText('Keine Änderung: Plan „E2E Rundreise“ hat genau diese Parameter und Daten; es wurde nichts gespeichert.'));
    expect(sent).toEqual([]);
    expect(await readPlan(planId)).toEqual(before);
    expect(await planHistory()).toEqual(entries);
    expect(await planCount()).toBe(plans);
    expect(await admin.audits()).toBe(audits);

    // One change (N): saved as a new draft that differs from plan A in N (and its result) only.
    await page.getByLabel('Zu verteilende Personen (N)').fill('56');
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '56 von 56');
    await page.getByLabel('Name des Plans').fill('E2E Rundreise N+1');
    await save.click();
    await visible(page.getByRole('heading', { name: 'Plan „E2E Rundreise N+1“' }));
    await expect.poll(() => sent.length, WAIT).toBe(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/allocations/plans' });
    const nextId = ((await (await api.get(`/api/allocations/plans?kreis=${KREIS}`)).json()) as { plans: { id: number; name: string }[] }).plans.find((p) => p.name === 'E2E Rundreise N+1')!.id;
    const next = (await readPlan(nextId)).plan;
    expect(next.inputs.request).toEqual({ ...before.plan.inputs.request, n: 56 });
    expect(without(next, 'id', 'name', 'n', 'version', 'created_at', 'inputs', 'result', 'solver')).toEqual(without(before.plan, 'id', 'name', 'n', 'version', 'created_at', 'inputs', 'result', 'solver'));
    expect(next).toMatchObject({ name: 'E2E Rundreise N+1', n: 56, status: 'draft' });
    // Plan A itself is untouched by its copy.
    expect(await readPlan(planId)).toEqual(before);
    expect(await planHistory()).toEqual(entries);
    expect(await planCount()).toBe(plans + 1);
    expect(await admin.audits()).toBe(audits + 1);
    watch.assertClean();
    await context.close();
  });
});

function open(role: 'coordinator', hash: string) {
  return openAs(browser, server.url, role, hash);
}
