import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { containsText, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// Every planning control in a real Chromium (issue 16, section 2): set it, then the display, the
// URL and the engine input the page computes (data-engine-input of the panel, or the request the
// page sends) say the same; unset it, and all three are back to the default. The page must not
// throw on the way (watchErrors): the deviation limit once threw "E(...).trim is not a function".

const KREIS = '010990000000';
/** One unit without any capacity report, so the "unknown capacities count as" choice is offered. */
const UNKNOWN = '010990019000';
const WAIT = { timeout: 15_000, interval: 100 };

let server: ServerProcess;
let browser: Browser;
withAppInBrowser(
  (s, b) => {
    server = s;
    browser = b;
  },
  async (db) => {
    await db.query("DELETE FROM capacity_reports WHERE region_id IN (SELECT id FROM regions WHERE level = 'verband' AND ars = $1)", [UNKNOWN]);
  },
);

type Engine = Record<string, unknown> & { n: number; weights: Record<string, number> };

/** The engine input the panel computes, without the units' data. */
async function engine(page: Page): Promise<Engine | null> {
  const text = await page.locator('.planning-inner').getAttribute('data-engine-input');
  return text ? (JSON.parse(text) as Engine) : null;
}

/** The planning parameters of the URL's hash. */
const hash = (page: Page) => new URLSearchParams(new URL(page.url()).hash.replace(/^#/, ''));

/** Waits until the URL's parameter and the engine input both say what the control shows. */
async function agree(page: Page, param: string, url: string | null, pick: (e: Engine) => unknown, value: unknown): Promise<void> {
  await expect.poll(() => hash(page).get(param), WAIT).toBe(url);
  await expect.poll(async () => {
    const e = await engine(page);
    return e ? pick(e) : 'no engine input';
  }, WAIT).toEqual(value);
}

/** The keys of the engine input that only a set control writes. */
const OPTIONAL = ['bounds', 'excluded', 'max_deviation', 'shared_accommodation_credit', 'unknown_capacity'];
async function atDefault(page: Page): Promise<void> {
  await expect.poll(async () => {
    const e = await engine(page);
    if (!e) return 'no engine input';
    return { n: e.n, weights: Object.values(e.weights).every((w) => w === 0), optional: OPTIONAL.filter((k) => k in e) };
  }, WAIT).toEqual({ n: 40, weights: true, optional: [] });
  for (const p of ['n', 'w', 'dev', 'credit', 'uc', 'ex', 'b', 'pk']) expect(hash(page).has(p), p).toBe(false);
}

describe('every planning control in Chromium: what is shown is what is computed', () => {
  it('sets and unsets each control; display, URL and engine input agree at every step; a saved plan carries exactly the shown constraints', { timeout: 240_000 }, async () => {
    const { page, watch, context } = await openAs(browser, server.url, 'coordinator', '#mode=plan');
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await atDefault(page);

    // --- The deviation limit: the exact bug of issue 16. ---
    const limit = page.getByLabel('Abweichung vom gesetzlichen Schlüssel begrenzen');
    const value = page.locator('#max-deviation');
    const unit = page.locator('#max-deviation-unit');
    const dev = (e: Engine) => e.max_deviation ?? null;
    await limit.check();
    await expect.poll(() => value.inputValue(), WAIT).toBe('10');
    expect(await unit.inputValue()).toBe('percent');
    await agree(page, 'dev', 'percent:10', dev, { unit: 'percent', value: 10 });
    // Typed key by key, as a person does.
    await value.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('25');
    expect(await value.inputValue()).toBe('25');
    await agree(page, 'dev', 'percent:25', dev, { unit: 'percent', value: 25 });
    await unit.selectOption('persons');
    expect(await value.inputValue()).toBe('25');
    await agree(page, 'dev', 'persons:25', dev, { unit: 'persons', value: 25 });
    await value.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await agree(page, 'dev', 'persons:5', dev, { unit: 'persons', value: 5 });
    await unit.selectOption('percent');
    expect(await value.inputValue()).toBe('5');
    await agree(page, 'dev', 'percent:5', dev, { unit: 'percent', value: 5 });
    await unit.selectOption('persons');
    await agree(page, 'dev', 'persons:5', dev, { unit: 'persons', value: 5 });
    // Unticked: the limit is gone from display, URL and engine.
    await limit.uncheck();
    expect(await limit.isChecked()).toBe(false);
    await expect.poll(() => value.count(), WAIT).toBe(0);
    await agree(page, 'dev', null, dev, null);
    // Ticked again: the last value and unit come back, and are computed.
    await limit.check();
    await expect.poll(() => value.inputValue(), WAIT).toBe('5');
    expect(await unit.inputValue()).toBe('persons');
    await agree(page, 'dev', 'persons:5', dev, { unit: 'persons', value: 5 });
    // An empty value is marked, the last valid limit stays computed and shown in the URL.
    await value.fill('');
    await containsText(page.locator('.constraints'), 'Bitte eine Zahl');
    await agree(page, 'dev', 'persons:5', dev, { unit: 'persons', value: 5 });
    await limit.uncheck();
    await agree(page, 'dev', null, dev, null);
    await atDefault(page);

    // --- N ---
    const n = page.getByLabel('Zu verteilende Personen (N)');
    await n.fill('60');
    await agree(page, 'n', '60', (e) => e.n, 60);
    await n.fill('');
    await agree(page, 'n', null, (e) => e.n, 'no engine input');
    await n.fill('40');
    await agree(page, 'n', null, (e) => e.n, 40);

    // --- Shared-accommodation credit ---
    const credit = page.getByLabel('Anrechnung Gemeinschaftsunterkunft (Personen je Platz)');
    await credit.fill('0.5');
    await agree(page, 'credit', '0.5', (e) => e.shared_accommodation_credit ?? 0, 0.5);
    await credit.fill('0');
    await agree(page, 'credit', null, (e) => e.shared_accommodation_credit ?? 0, 0);

    // --- An aggregate weight (slider) ---
    const kita = page.getByRole('slider', { name: 'Freie Kita-Plätze' });
    await kita.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await kita.getAttribute('aria-valuetext')).toBe('0,10');
    await agree(page, 'w', 'kita_free:0.1', (e) => e.weights.kita_free, 0.1);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await agree(page, 'w', null, (e) => e.weights.kita_free, 0);

    // --- Bounds per unit and exclusions ---
    await page.locator('.constraints summary').click();
    const rows = page.locator('.constraints tbody tr');
    const nameOf = async (i: number) => (await rows.nth(i).locator('th').evaluate((th) => th.firstChild?.textContent ?? '')).trim();
    const first = await nameOf(0);
    const second = await nameOf(1);
    const min = page.getByLabel(`Mindestzahl ${first}`);
    const max = page.getByLabel(`Höchstzahl ${first}`);
    await min.fill('2');
    await expect.poll(async () => Object.keys(((await engine(page))?.bounds ?? {}) as object).length, WAIT).toBe(1);
    const key = Object.keys((await engine(page))!.bounds as object)[0]!;
    const bounds = (e: Engine) => e.bounds ?? null;
    await agree(page, 'b', `${key}:2-`, bounds, { [key]: { min: 2 } });
    await max.fill('30');
    await agree(page, 'b', `${key}:2-30`, bounds, { [key]: { min: 2, max: 30 } });
    await min.fill('');
    await agree(page, 'b', `${key}:-30`, bounds, { [key]: { max: 30 } });
    expect(await min.inputValue()).toBe('');
    expect(await max.inputValue()).toBe('30');
    await max.fill('');
    await agree(page, 'b', null, bounds, null);
    const exclude = page.getByLabel(`${second} ausschließen`);
    await exclude.check();
    await expect.poll(async () => ((await engine(page))?.excluded as string[] | undefined)?.length ?? 0, WAIT).toBe(1);
    const excludedKey = ((await engine(page))!.excluded as string[])[0]!;
    await agree(page, 'ex', excludedKey, (e) => e.excluded ?? null, [excludedKey]);
    await exclude.uncheck();
    await agree(page, 'ex', null, (e) => e.excluded ?? null, null);

    // --- How unknown capacities count ---
    const unlimited = page.getByLabel('als unbegrenzt (keine Obergrenze durch Wohnraum)');
    const none = page.getByLabel('als kein freier Platz (0)');
    expect(await none.isChecked()).toBe(true);
    await unlimited.check();
    await agree(page, 'uc', 'unlimited', (e) => e.unknown_capacity ?? 'none', 'unlimited');
    await none.check();
    await agree(page, 'uc', null, (e) => e.unknown_capacity ?? 'none', 'none');
    await atDefault(page);

    // --- Mode: households, with its own weight; the request the page sends carries it. ---
    const requests: Record<string, unknown>[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/allocations\/(suggest|plans)$/.test(new URL(r.url()).pathname)) requests.push(r.postDataJSON() as Record<string, unknown>);
    });
    await page.getByLabel('Haushalte').check();
    await expect.poll(() => hash(page).get('pk'), WAIT).toBe('households');
    const language = page.getByRole('slider', { name: 'Angebote in der Sprache des Haushalts' });
    await language.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => hash(page).get('w'), WAIT).toBe('language_match:0.05');
    // The households' constraints editor is a new one: it offers the default limit, 10 percent.
    await limit.check();
    await expect.poll(() => value.inputValue(), WAIT).toBe('10');
    await expect.poll(() => hash(page).get('dev'), WAIT).toBe('percent:10');
    await unit.selectOption('persons');
    await expect.poll(() => hash(page).get('dev'), WAIT).toBe('persons:10');
    await page.getByRole('button', { name: 'Optimal lösen' }).click();
    await expect.poll(() => requests.find((r) => r.mode === 'households') ?? null, WAIT).toMatchObject({
      mode: 'households', weights: { language_match: 0.05 }, max_deviation: { unit: 'persons', value: 10 },
    });
    const householdRequest = requests.find((r) => r.mode === 'households')!;
    expect(householdRequest).not.toHaveProperty('shared_accommodation_credit');
    expect(householdRequest).not.toHaveProperty('unknown_capacity');
    await limit.uncheck();
    await language.focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByLabel('Verteilung (Anzahl)').check();
    await atDefault(page);

    // --- A saved plan carries exactly the constraints shown (and the period of the inputs). ---
    await n.fill('50');
    await limit.check();
    await value.fill('20');
    await unit.selectOption('persons');
    await credit.fill('0.5');
    await page.locator('.constraints summary').click();
    await min.fill('1');
    await unlimited.check();
    await kita.focus();
    await page.keyboard.press('ArrowRight');
    await agree(page, 'dev', 'persons:20', dev, { unit: 'persons', value: 20 });
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '50 von 50');
    const shown = (await engine(page))!;
    const period = Number(/Anrechnungsjahr (\d{4})/.exec((await page.locator('.planning-inner .meta').textContent())!)![1]);
    requests.length = 0;
    await page.getByLabel('Name des Plans').fill('E2E Steuerung');
    await page.getByRole('button', { name: 'Entwurf speichern' }).click();
    await visible(page.getByRole('heading', { name: 'Plan „E2E Steuerung“' }));
    const sent = requests.find((r) => r.name === 'E2E Steuerung') as { request: Record<string, unknown> } | undefined;
    await expect.poll(() => Number(hash(page).get('plan')), WAIT).toBeGreaterThan(0);
    const id = Number(hash(page).get('plan'));
    // The server stores the request it recomputed the plan from with the plan's inputs.
    const plan = (await (await (await pageApi(page, server.url)).get(`/api/allocations/plans/${id}`)).json()) as { inputs: { request: Record<string, unknown> } };
    const stored = plan.inputs;
    const expected = {
      kreis: KREIS, period, mode: 'aggregate', n: 50,
      max_deviation: { unit: 'persons', value: 20 }, shared_accommodation_credit: 0.5, unknown_capacity: 'unlimited',
      bounds: shown.bounds, weights: { kita_free: 0.05 },
    };
    expect(shown).toMatchObject({ n: 50, max_deviation: expected.max_deviation, shared_accommodation_credit: 0.5, unknown_capacity: 'unlimited', weights: { kita_free: 0.05 } });
    expect(Object.values(shown.bounds as object)).toEqual([{ min: 1 }]);
    expect(sent?.request).toMatchObject(expected);
    expect(stored.request).toMatchObject(expected);
    expect(stored.request).not.toHaveProperty('excluded');
    expect(Object.entries(stored.request.weights as Record<string, number>).filter(([, w]) => w !== 0)).toEqual([['kita_free', 0.05]]);

    watch.assertClean();
    await context.close();
  });
});
