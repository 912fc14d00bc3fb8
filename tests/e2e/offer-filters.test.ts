import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { addGeneratedOffers } from '../helpers/generated-offers.ts';
import { assertAccessible, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { mapIdle, renderedOffers, sourceCategories, type E2EGlobal } from './map-page.ts';

// The offer filters of the sidebar's "Weitere Filter" (free places, languages, subcategory,
// target groups, barrier-free access) driven through their real controls, as a coordinator. For
// each filter: the URL carries it, the count under the category list ("N Angebote angezeigt"),
// the map and the offer table show what GET /api/offers returns under the same query, a reload
// restores the controls from the URL, and clearing the filter brings every offer back. On the
// demo district the map downloads GeoJSON; with more than 20,000 offers under the filter it draws
// the server's vector tiles (there is no toggle: the count decides, data.svelte.ts).

const WAIT = { timeout: 30_000, interval: 200 };

/** The sentence under the category list, as the German interface writes it. */
const shownText = (n: number) => `${n.toLocaleString('de-DE')} Angebote angezeigt`;
const rowsText = (n: number) => `${n.toLocaleString('de-DE')} von ${n.toLocaleString('de-DE')} Zeilen`;
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
const sourceType = (page: Page) => page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getSource('offers')?.type);

async function expectShown(page: Page, n: number): Promise<void> {
  await expect.poll(async () => (await page.locator('fieldset.categories p.total').textContent())?.trim(), WAIT).toBe(shownText(n));
}

const moreOpen = (page: Page) => page.locator('details.more').evaluate((d) => (d as unknown as { open: boolean }).open);

/** Opens "Weitere Filter" unless it is open (closed at first; open after a reload with a filter set). */
async function openMoreFilters(page: Page): Promise<void> {
  if (!(await moreOpen(page))) await page.locator('details.more > summary').click();
  await visible(page.locator('#filter-barrier-free'));
}

interface Filter {
  name: string;
  /** The URL hash parameter and its value. */
  hash: [string, string];
  /** The same filter as GET /api/offers query. */
  api: string;
  set(page: Page): Promise<void>;
  clear(page: Page): Promise<void>;
  /** What the control shows (read back after a reload). */
  shown(page: Page): Promise<unknown>;
  expected: unknown;
}

const selected = (page: Page, id: string) =>
  page.locator(id).evaluate((s) => Array.from((s as unknown as { selectedOptions: ArrayLike<{ value: string }> }).selectedOptions, (o) => o.value));

const minFree = (n: number): Filter => ({
  name: `at least ${n} free places`, hash: ['free', String(n)], api: `min_free_places=${n}`,
  async set(page) {
    await page.locator('#filter-free').check();
    await page.locator('#filter-min-free').fill(String(n));
    await page.locator('#filter-min-free').press('Enter');
  },
  clear: (page) => page.locator('#filter-free').uncheck(),
  shown: async (page) => [await page.locator('#filter-free').isChecked(), await page.locator('#filter-min-free').inputValue()],
  expected: [true, String(n)],
});

const language = (code: string): Filter => ({
  name: `language ${code}`, hash: ['lang', code], api: `language=${code}`,
  set: async (page) => void (await page.locator('#filter-languages').selectOption([code])),
  clear: async (page) => void (await page.locator('#filter-languages').selectOption([])),
  shown: (page) => selected(page, '#filter-languages'),
  expected: [code],
});

const subcategory = (key: string): Filter => ({
  name: `subcategory ${key}`, hash: ['sub', key], api: `subcategory=${key}`,
  set: async (page) => void (await page.locator('#filter-subcategory').selectOption(key)),
  clear: async (page) => void (await page.locator('#filter-subcategory').selectOption('')),
  shown: (page) => page.locator('#filter-subcategory').inputValue(),
  expected: key,
});

const targetGroup = (group: string): Filter => ({
  name: `target group ${group}`, hash: ['tg', group], api: `target_group=${group}`,
  set: (page) => page.locator(`input[data-target-group="${group}"]`).check(),
  clear: (page) => page.locator(`input[data-target-group="${group}"]`).uncheck(),
  shown: (page) => page.locator(`input[data-target-group="${group}"]`).isChecked(),
  expected: true,
});

const barrierFreeYes: Filter = {
  name: 'barrier-free yes', hash: ['bf', 'true'], api: 'barrier_free=true',
  set: async (page) => void (await page.locator('#filter-barrier-free').selectOption({ label: 'ja' })),
  clear: async (page) => void (await page.locator('#filter-barrier-free').selectOption({ label: 'egal' })),
  shown: (page) => page.locator('#filter-barrier-free').inputValue(),
  expected: 'true',
};

/** The offers GET /api/offers returns under a query, as the page's session sees them. */
async function apiOffers(page: Page, url: string, query: string): Promise<{ id: number; languages: string[] }[]> {
  const res = await (await pageApi(page, url)).get(`/api/offers${query ? `?${query}` : ''}`);
  expect(res.status(), query).toBe(200);
  return ((await res.json()) as { features: { properties: { id: number; languages: string[] } }[] }).features.map((f) => f.properties);
}

/** The text of one column in every row of the offer table's current page, by its header. */
async function columnTexts(page: Page, header: string): Promise<string[]> {
  return page.locator('#table-offers').evaluate((table, h) => {
    const t = table as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null; children: ArrayLike<{ textContent: string | null }> }> };
    const heads = Array.from(t.querySelectorAll('thead th'), (th) => (th.textContent ?? '').replace(/[▲▼↕]/g, '').trim());
    const i = heads.indexOf(h);
    if (i < 0) throw new Error(`no column ${h} in ${heads.join(' | ')}`);
    return Array.from(t.querySelectorAll('tbody tr'), (tr) => (tr.children[i]?.textContent ?? '').trim());
  }, header);
}

/** Sets, shares, reloads and clears one filter; `mode` is how the map must draw its offers. */
async function roundTrip(page: Page, url: string, f: Filter, all: number, mode: 'geojson' | 'vector', tileUrls: string[]): Promise<number> {
  const expected = (await apiOffers(page, url, f.api)).length;
  expect(expected, f.name).toBeGreaterThan(0);
  expect(expected, f.name).toBeLessThan(all);

  await openMoreFilters(page);
  await f.set(page);
  // (a) the URL carries it
  await expect.poll(() => hashParams(page).get(f.hash[0]), WAIT).toBe(f.hash[1]);
  // (b) the count, the map and the table show what the API returns under the same query
  await expectShown(page, expected);
  await mapIdle(page);
  expect(await sourceType(page), f.name).toBe(mode);
  expect((await renderedOffers(page)).total, f.name).toBe(expected);
  if (mode === 'geojson') {
    expect((await sourceCategories(page)).count, f.name).toBe(expected);
    await expect.poll(async () => (await page.locator('#table-offers-filter ~ .count').textContent())?.trim(), WAIT).toBe(rowsText(expected));
  } else {
    expect(tileUrls.some((u) => u.includes(f.api)), `${f.name}: tiles asked with ${f.api}`).toBe(true);
    await visible(page.getByText(/^Mehr als 20\.000 Angebote mit diesen Filtern/));
  }

  // (c) a reload of the URL restores the control's value and the same offers
  const link = page.url();
  await page.reload();
  await mapIdle(page);
  expect(page.url(), f.name).toBe(link);
  await expectShown(page, expected);
  await visible(page.locator('#filter-barrier-free'));
  expect(await f.shown(page), `${f.name} after reload`).toEqual(f.expected);
  expect(await sourceType(page), f.name).toBe(mode);

  // (d) clearing it brings every offer back
  await f.clear(page);
  await expect.poll(() => hashParams(page).has(f.hash[0]), WAIT).toBe(false);
  await expectShown(page, all);
  // The panel stays open under the hand that cleared the filter.
  expect(await moreOpen(page), f.name).toBe(true);
  return expected;
}

describe('the offer filters on the demo district (GeoJSON)', () => {
  let server: ServerProcess;
  let browser: Browser;
  withAppInBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it('sets each filter in the sidebar, shares it in the URL, shows what the API returns, restores it on reload and clears it', { timeout: 600_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator');
    const all = (await apiOffers(page, server.url, '')).length;
    await expectShown(page, all);
    expect(await sourceType(page)).toBe('geojson');
    await page.getByRole('tab', { name: 'Angebote' }).click();
    await expect.poll(async () => (await page.locator('#table-offers-filter ~ .count').textContent())?.trim(), WAIT).toBe(rowsText(all));

    for (const f of [minFree(5), language('uk'), subcategory('integrationskurs'), targetGroup('frauen'), barrierFreeYes]) {
      await roundTrip(page, server.url, f, all, 'geojson', []);
    }

    // The table has a languages column: under a language filter every row lists that language.
    await openMoreFilters(page);
    await language('fa').set(page);
    const persian = await apiOffers(page, server.url, 'language=fa');
    await expect.poll(async () => (await page.locator('#table-offers-filter ~ .count').textContent())?.trim(), WAIT).toBe(rowsText(persian.length));
    await visible(page.locator('#table-offers thead').getByRole('button', { name: /^Sprachen/ }));
    const cells = await columnTexts(page, 'Sprachen');
    expect(cells).toHaveLength(Math.min(50, persian.length));
    expect(cells.every((c) => c.split(', ').includes('FA')), cells.join(' / ')).toBe(true);
    // Each row's languages are the API's, in its order, in capitals.
    const byId = new Map(persian.map((o) => [String(o.id), o.languages.map((l) => l.toUpperCase()).join(', ')]));
    const keys = await page.locator('#table-offers tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { key: string } }).dataset.key));
    expect(cells).toEqual(keys.map((k) => byId.get(k)));

    // Two filters at once are one query; the reset button clears both.
    await targetGroup('kinder').set(page);
    await expect.poll(() => hashParams(page).get('tg'), WAIT).toBe('kinder');
    await expectShown(page, (await apiOffers(page, server.url, 'language=fa&target_group=kinder')).length);
    await assertAccessible(page, 'map with offer filters');
    await page.getByRole('button', { name: 'Diese Filter zurücksetzen' }).click();
    await expectShown(page, all);
    // page.url() learns of a replaceState from the browser's navigation event, which may come
    // after the count is drawn: poll it, as for every other URL check here.
    await expect.poll(() => hashParams(page).has('lang') || hashParams(page).has('tg'), WAIT).toBe(false);
    watch.assertClean();
    await context.close();
  });
});

// More offers than the client downloads (20,000): three of every four generated offers get the
// attributes the filters ask for, so each filter alone still leaves more than 20,000 offers and
// the map keeps drawing vector tiles, asked with the filter.
const GENERATED = 28_000;

describe('the offer filters with more offers than the map downloads (vector tiles)', () => {
  let server: ServerProcess;
  let browser: Browser;
  withAppInBrowser((s, b) => {
    server = s;
    browser = b;
  }, async (db) => {
    await addGeneratedOffers(db, GENERATED);
    await db.query(`UPDATE offers SET category_key = 'sprache', subcategory_key = 'integrationskurs', languages = '{de,ar}', target_groups = '{kinder}', barrier_free = true
                     WHERE name LIKE 'Generiertes Angebot %' AND id % 4 <> 0`);
    await db.query(`UPDATE offers SET barrier_free = false WHERE name LIKE 'Generiertes Angebot %' AND id % 4 = 0`);
  });

  it('sets each filter, draws tiles asked with it that add up to the API\'s offers, restores it on reload and clears it', { timeout: 900_000 }, async () => {
    const { page, context, watch } = await openAs(browser, server.url, 'coordinator');
    const tileUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/tiles/offers/')) tileUrls.push(decodeURIComponent(r.url()));
    });
    const all = (await apiOffers(page, server.url, '')).length;
    expect(all).toBeGreaterThan(GENERATED);
    await expectShown(page, all);
    expect(await sourceType(page)).toBe('vector');
    await page.getByRole('tab', { name: 'Angebote' }).click();

    for (const f of [minFree(1), language('ar'), subcategory('integrationskurs'), targetGroup('kinder'), barrierFreeYes]) {
      const n = await roundTrip(page, server.url, f, all, 'vector', tileUrls);
      expect(n, f.name).toBeGreaterThan(20_000);
    }

    // Raising the minimum of free places takes the offers below 20,000: the same control now
    // makes the map download GeoJSON, and the table lists them.
    await openMoreFilters(page);
    await minFree(3).set(page);
    const three = (await apiOffers(page, server.url, 'min_free_places=3')).length;
    expect(three).toBeLessThan(20_000);
    await expectShown(page, three);
    await mapIdle(page);
    expect(await sourceType(page)).toBe('geojson');
    expect((await renderedOffers(page)).total).toBe(three);
    await expect.poll(async () => (await page.locator('#table-offers-filter ~ .count').textContent())?.trim(), WAIT).toBe(rowsText(three));
    await minFree(3).clear(page);
    await expectShown(page, all);
    await mapIdle(page);
    expect(await sourceType(page)).toBe('vector');
    watch.assertClean();
    await context.close();
  });
});
