import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { suggestAllocation, type AllocationUnit, type CriterionWeights } from '@ilk/core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, attribute, containsText, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { mapIdle, renderedCount, renderedValues } from './map-page.ts';

// Allocation planning in a real Chromium against the real server (HiGHS in its worker) on a copy
// of the seeded demo database. The browser runs the core engine itself; the tests compare what
// the table and the map show with the engine's answer on the inputs the server reports.

const KREIS = '010990000000';
const WAIT = { timeout: 15_000, interval: 100 };

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The units' inputs as the server loads them, and the engine's seats for N and weights. */
async function engineSeats(page: Page, n: number, weights: CriterionWeights): Promise<Record<string, number>> {
  const res = await (await pageApi(page, server.url)).post('/api/allocations/suggest', { kreis: KREIS, mode: 'aggregate', n: 0, weights: {} });
  const units = ((await res.json()) as { inputs: { units: AllocationUnit[] } }).inputs.units;
  const result = suggestAllocation({ units, n, weights });
  if (!result.ok) throw new Error('expected a feasible suggestion');
  return Object.fromEntries(result.units.map((u) => [u.key, u.seats]));
}

/** Seats per unit as the result table shows them (the suggestion column). */
async function tableSeats(page: Page): Promise<Record<string, number>> {
  const rows = page.locator('#table-allocation tbody tr');
  const seatsColumn = await page.locator('#table-allocation thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('Vorschlag (Pers.)')));
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    const key = (await row.getAttribute('data-key'))!;
    out[key] = Number((await row.locator('th, td').nth(seatsColumn).textContent())!.replace(/\./g, ''));
  }
  return out;
}

/** Every unit the map draws carries the engine's value. */
async function mapShows(page: Page, expected: Record<string, number>): Promise<void> {
  await expect.poll(async () => {
    const drawn = await renderedValues(page, 'allocation-fill');
    return Object.keys(drawn).length > 0 && Object.entries(drawn).every(([k, v]) => expected[k] === v);
  }, WAIT).toBe(true);
}

const sumCell = (page: Page, which: 'seats' | 'legal') => page.locator(`#table-allocation tfoot [data-sum="${which}"]`);

describe('allocation planning in Chromium', () => {
  it('lets a coordinator plan N persons live, see an infeasible constraint reported, save, decide and compare', { timeout: 150_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator');
    // The mode switch is a plain button: reachable by Tab, chosen with Enter; the URL keeps it.
    const planButton = page.getByRole('button', { name: 'Verteilungsplanung' });
    await planButton.focus();
    await page.keyboard.press('Enter');
    await attribute(planButton, 'aria-pressed', 'true');
    await expect.poll(() => page.url(), WAIT).toContain('mode=plan');
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));

    // N = 60: the table shows the engine's seats, summing to N, and so does the map.
    await page.getByLabel('Zu verteilende Personen (N)').fill('60');
    await containsText(sumCell(page, 'seats'), /^60$/);
    await containsText(sumCell(page, 'legal'), /^60$/);
    const legalKey = await engineSeats(page, 60, {});
    await expect.poll(() => tableSeats(page), WAIT).toEqual(legalKey);
    await mapIdle(page);
    await mapShows(page, legalKey);

    // A weight moved by keyboard: ten steps of 0.05. Table and map follow at once.
    const kita = page.getByRole('slider', { name: 'Freie Kita-Plätze' });
    await kita.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await attribute(kita, 'aria-valuetext', '0,50');
    const weighted = await engineSeats(page, 60, { kita_free: 0.5 });
    expect(weighted).not.toEqual(legalKey);
    await expect.poll(() => tableSeats(page), WAIT).toEqual(weighted);
    await containsText(sumCell(page, 'seats'), /^60$/);
    await mapShows(page, weighted);
    await expect.poll(() => page.url(), WAIT).toContain('w=kita_free:0.5');
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '60 von 60 Personen verteilt');
    await screenshot(page, 'planning-live');

    // A minimum above the unit's free housing: an explicit report, and no partial result.
    await page.getByText(/^Grenzen je Einheit/).click();
    const minimum = page.getByLabel('Mindestzahl Demohaven');
    await minimum.fill('500');
    const report = page.getByRole('alert').filter({ hasText: 'Keine zulässige Verteilung' });
    await visible(report);
    await containsText(report, 'Widersprüchliche Grenzen');
    await containsText(report, /Fehlbetrag: \d+ Personen/);
    await containsText(report.getByRole('row', { name: /Demohaven/ }).first(), 'Mindestzahl');
    await count(page.locator('#table-allocation'), 0);
    await expect.poll(() => renderedCount(page, 'allocation-fill'), WAIT).toBe(0);
    await screenshot(page, 'planning-infeasible');
    await minimum.fill('');
    await containsText(sumCell(page, 'seats'), /^60$/);

    // Two drafts (the second with N = 61), saved: the server recomputes and accepts them.
    const save = async (name: string) => {
      await page.getByLabel('Name des Plans').fill(name);
      await page.getByRole('button', { name: 'Entwurf speichern' }).click();
      await visible(page.getByRole('heading', { name: `Plan „${name}“` }));
    };
    await save('E2E Verteilung A');
    await page.getByLabel('Zu verteilende Personen (N)').fill('61');
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '61 von 61');
    await save('E2E Verteilung B');
    await attribute(page.getByRole('tab', { name: 'Pläne' }), 'aria-selected', 'true');
    const planRow = (name: string) => page.locator('#table-plans tbody tr').filter({ hasText: name });
    await containsText(planRow('E2E Verteilung A'), 'Entwurf');
    await containsText(planRow('E2E Verteilung B'), 'Entwurf');

    // Compare the two side by side: per unit and as a difference map.
    await page.getByRole('tab', { name: 'Vergleich' }).click();
    await page.getByLabel('Plan A').selectOption({ label: 'E2E Verteilung B (Entwurf)' });
    await page.getByLabel('Plan B').selectOption({ label: 'E2E Verteilung A (Entwurf)' });
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    const diffTotal = page.locator('#table-compare tfoot td').last();
    await containsText(diffTotal, /^\+1$/);
    await mapIdle(page);
    const differences = await renderedValues(page, 'allocation-fill');
    expect(Object.values(differences).every((v) => Number.isInteger(v))).toBe(true);
    await screenshot(page, 'planning-compare');

    // Decide B: a confirmation explains what deciding records.
    await page.getByRole('tab', { name: 'Pläne' }).click();
    await planRow('E2E Verteilung B').locator('th button').click();
    await page.getByRole('button', { name: 'Entscheiden …' }).click();
    const dialog = page.getByRole('dialog', { name: /entscheiden\?/ });
    await containsText(dialog, 'Bei der nächsten Berechnung des gesetzlichen Schlüssels wird sie angerechnet');
    // A decision needs its written justification: too short, the dialog stays open and says so.
    await dialog.getByLabel(/Begründung der Entscheidung/).fill('kurz');
    await dialog.getByRole('button', { name: 'Verbindlich entscheiden' }).click();
    await containsText(dialog, 'mindestens 10 Zeichen');
    await dialog.getByLabel(/Begründung der Entscheidung/).fill('Beschluss der Koordinierungsrunde vom Montag.');
    await dialog.getByRole('button', { name: 'Verbindlich entscheiden' }).click();
    await containsText(planRow('E2E Verteilung B'), 'entschieden');
    await visible(page.getByRole('heading', { name: 'Plan „E2E Verteilung B“' }).getByText('entschieden'));
    expect(await page.getByRole('button', { name: 'Entscheiden …' }).count()).toBe(0);

    // A was computed before B was decided: its key lacks B's intake, the server refuses (409).
    watch.allow(409);
    await planRow('E2E Verteilung A').locator('th button').click();
    await page.getByRole('button', { name: 'Entscheiden …' }).click();
    await dialog.getByLabel(/Begründung der Entscheidung/).fill('Zweiter Vorschlag, ebenfalls beschlossen.');
    await dialog.getByRole('button', { name: 'Verbindlich entscheiden' }).click();
    await containsText(page.getByRole('alert').filter({ hasText: 'anderer Plan' }), 'neu berechnen');
    await containsText(planRow('E2E Verteilung A'), 'Entwurf');

    // The decided intake is credited: the server's inputs now carry it.
    const { get, post } = await pageApi(page, server.url);
    const decided = (await (await get(`/api/allocations/plans?kreis=${KREIS}&status=decided`)).json()) as { plans: { name: string }[] };
    expect(decided.plans.map((p) => p.name)).toEqual(['E2E Verteilung B']);
    const inputs = (await (await post('/api/allocations/suggest', { kreis: KREIS, mode: 'aggregate', n: 0, weights: {} })).json()) as { inputs: { units: { decided_intake: number }[] } };
    expect(inputs.inputs.units.reduce((s, u) => s + u.decided_intake, 0)).toBe(61);
    await attribute(page.getByRole('link', { name: 'Entscheidungsvorlage' }), 'href', /\/api\/allocations\/plans\/\d+\/sheet$/);
    await screenshot(page, 'planning-plans');
    await assertAccessible(page, 'planning view with plans');
    watch.assertClean();
    await context.close();
  });

  it('solves pasted households optimally and explains each placement', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator', '#mode=plan&pk=households');
    await visible(page.getByRole('heading', { name: /^Haushalte/ }));
    await page.getByLabel('CSV einfügen').check();

    // A paste with mistakes is not taken; the errors name line and column.
    const csv = page.getByLabel('CSV-Text');
    await csv.fill('personen;kinder_0_2;sprachen\n2;x;uk\n3;0;zz');
    await page.getByRole('button', { name: 'In die Tabelle übernehmen' }).click();
    const errors = page.getByRole('alert').filter({ hasText: 'Nicht übernommen' });
    await containsText(errors, 'Zeile 2, Spalte children_0_2');
    await containsText(errors, 'Zeile 3, Spalte languages: unbekannter Sprachcode zz');

    await csv.fill([
      'personen;kinder_0_2;kinder_3_5;kinder_6_17;sprachen;barrierefrei;medizinisch',
      '2;0;0;0;uk;nein;nein', '2;0;0;0;uk;nein;nein', '3;0;1;0;ar;nein;nein', '4;0;0;2;fa;nein;ja',
      '1;0;0;0;ru;nein;nein', '5;0;1;2;tr;nein;nein', '3;1;0;0;ar;ja;nein', '2;0;0;0;so ti;nein;nein',
    ].join('\n'));
    await page.getByRole('button', { name: 'In die Tabelle übernehmen' }).click();
    await count(page.locator('#household-rows tbody tr'), 8);
    await page.getByRole('slider', { name: 'Freie Kita-Plätze' }).fill('1');
    await page.getByRole('slider', { name: 'Angebote in der Sprache des Haushalts' }).fill('1');

    await page.getByRole('button', { name: 'Optimal lösen' }).click();
    const solver = page.getByRole('region', { name: 'Lösung' });
    await containsText(solver, 'Bewiesen optimal');
    await containsText(solver, 'exakt (HiGHS)');
    await containsText(solver, /Lücke\s*0,00 %/);
    const rows = page.locator('#table-household-explain tbody tr');
    await count(rows, 8);
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allTextContents();
      expect(cells[1], 'chosen unit').not.toBe('nicht untergebracht');
      expect(cells[5], 'reason').toBeTruthy();
    }
    // The barrier-free household: only one unit has barrier-free housing for three.
    await containsText(rows.nth(6), 'keine andere Einheit kann den Haushalt aufnehmen');
    await containsText(page.locator('#table-household-units tfoot [data-sum="seats"]'), /^22$/);
    await mapIdle(page);
    const drawn = await renderedValues(page, 'allocation-fill');
    expect(Object.values(drawn).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(22);
    await screenshot(page, 'planning-households');
    await assertAccessible(page, 'household planning');
    watch.assertClean();
    await context.close();
  });

  it('shows the ministry plans and suggestions, without saving or deciding', { timeout: 60_000 }, async () => {
    // A draft made by a coordinator, through the API.
    const coordinator = await browser.newContext();
    await coordinator.request.post(`${server.url}/api/auth/login`, { data: { email: 'coordinator@demo.local', password: 'demo' } });
    const me = (await (await coordinator.request.get(`${server.url}/api/auth/me`)).json()) as { csrf_token: string };
    const request = { kreis: KREIS, mode: 'aggregate', n: 30, weights: { load: 1 } };
    const suggested = (await (await coordinator.request.post(`${server.url}/api/allocations/suggest`, { data: request, headers: { 'x-csrf-token': me.csrf_token } })).json()) as { inputs: { period: number }; result: unknown };
    const saved = await coordinator.request.post(`${server.url}/api/allocations/plans`, {
      data: { name: 'E2E Ministeriumsansicht', request: { ...request, period: suggested.inputs.period }, result: suggested.result }, headers: { 'x-csrf-token': me.csrf_token },
    });
    expect(saved.status()).toBe(201);
    const planId = ((await saved.json()) as { id: number }).id;
    await coordinator.close();

    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=plan');
    await containsText(sumCell(page, 'seats'), /^40$/);
    expect(await page.getByRole('button', { name: 'Entwurf speichern' }).count()).toBe(0);
    expect(await page.getByLabel('Name des Plans').count()).toBe(0);
    // The drawer's toggle names what it collapses (not the data drawer's "Tabellen").
    await page.getByRole('button', { name: 'Ergebnis und Pläne einklappen', exact: true }).click();
    await count(page.locator('#plan-panel'), 0);
    await page.getByRole('button', { name: 'Ergebnis und Pläne ausklappen', exact: true }).click();
    await containsText(sumCell(page, 'seats'), /^40$/);

    await page.getByRole('tab', { name: 'Pläne' }).click();
    await page.locator(`#table-plans tr[data-key="${planId}"] th button`).click();
    await visible(page.getByRole('heading', { name: 'Plan „E2E Ministeriumsansicht“' }));
    await containsText(page.locator('#table-plan-units tfoot [data-sum="seats"]'), /^30$/);
    expect(await page.getByRole('button', { name: 'Entscheiden …' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Entwurf löschen' }).count()).toBe(0);
    await attribute(page.getByRole('link', { name: 'CSV' }), 'href', `/api/allocations/plans/${planId}/export.csv`);
    await mapIdle(page);
    await screenshot(page, 'planning-ministry');
    await assertAccessible(page, 'planning view for the ministry');

    // The same view in English, numbers formatted for it.
    await page.getByRole('button', { name: /English/ }).click();
    await visible(page.getByRole('heading', { name: 'Allocation planning', level: 2 }));
    await visible(page.getByRole('heading', { name: 'Plan "E2E Ministeriumsansicht"' }));
    await attribute(page.getByRole('slider', { name: 'Free Kita places' }), 'aria-valuetext', '0.00');
    await screenshot(page, 'planning-ministry-en');
    await assertAccessible(page, 'planning view in English');
    watch.assertClean();
    await context.close();
  });
});
