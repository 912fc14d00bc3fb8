import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { addGeneratedOffers } from '../helpers/generated-offers.ts';
import { assertAccessible, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { mapIdle, renderedOffers, type E2EGlobal } from './map-page.ts';

// The offer filters (free places, languages, subcategory, target groups, barrier-free access) in
// the map, in both of its modes: above 20,000 offers under the filters the map draws the
// server's vector tiles, below it the GeoJSON it downloaded. Three of every four generated
// offers get the attributes the filters ask for, so each filter alone still leaves more than
// 20,000 offers (tiles); a search then narrows them below it (GeoJSON).
const GENERATED = 28_000;
const NARROW = 'Generiertes Angebot 12';

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, async (db) => {
  await addGeneratedOffers(db, GENERATED);
  await db.query(`UPDATE offers SET category_key = 'sprache', subcategory_key = 'integrationskurs', languages = '{de,ar}', target_groups = '{kinder}', barrier_free = NULL
                   WHERE name LIKE 'Generiertes Angebot %' AND id % 4 <> 0`);
  await db.query(`UPDATE offers SET barrier_free = true WHERE name LIKE 'Generiertes Angebot %' AND id % 4 = 0`);
});

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const shown = (n: number) => `${n.toLocaleString('de-DE')} Angebote angezeigt`;
const sourceType = (page: Page) => page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getSource('offers')?.type);
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

interface Filter {
  name: string;
  /** The URL hash parameter and the API query the filter stands for. */
  hash: [string, string];
  api: string;
  set(page: Page): Promise<void>;
  unset(page: Page): Promise<void>;
  /** Whether an offer's properties (from the GeoJSON source) satisfy the filter. */
  holds(p: Record<string, unknown>): boolean;
}

const list = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));

const FILTERS: Filter[] = [
  {
    name: 'free places', hash: ['free', '1'], api: 'min_free_places=1',
    set: (page) => page.locator('#filter-free').check(), unset: (page) => page.locator('#filter-free').uncheck(),
    holds: (p) => (p.places_free as number) >= 1,
  },
  {
    name: 'languages', hash: ['lang', 'ar'], api: 'language=ar',
    set: async (page) => void (await page.locator('#filter-languages').selectOption(['ar'])),
    unset: async (page) => void (await page.locator('#filter-languages').selectOption([])),
    holds: (p) => list(p.languages).includes('ar'),
  },
  {
    name: 'subcategory', hash: ['sub', 'integrationskurs'], api: 'subcategory=integrationskurs',
    set: async (page) => void (await page.locator('#filter-subcategory').selectOption('integrationskurs')),
    unset: async (page) => void (await page.locator('#filter-subcategory').selectOption('')),
    holds: (p) => p.subcategory === 'integrationskurs',
  },
  {
    name: 'target group', hash: ['tg', 'kinder'], api: 'target_group=kinder',
    set: (page) => page.locator('input[data-target-group="kinder"]').check(), unset: (page) => page.locator('input[data-target-group="kinder"]').uncheck(),
    holds: (p) => list(p.target_groups).includes('kinder'),
  },
  {
    name: 'barrier-free not stated', hash: ['bf', 'unknown'], api: 'barrier_free=unknown',
    set: async (page) => void (await page.locator('#filter-barrier-free').selectOption('unknown')),
    unset: async (page) => void (await page.locator('#filter-barrier-free').selectOption('')),
    holds: (p) => p.barrier_free === null || p.barrier_free === undefined,
  },
];

describe('the offer filters in the map, from tiles and from GeoJSON', () => {
  it('sets each filter, shares it in the URL, draws only matching offers in both modes, and unsets it', { timeout: 900_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator');
    const { get } = await pageApi(page, server.url);
    const count = async (query: string) => sum((await (await get(`/api/offers/counts?${query}`)).json()) as Record<string, number>);
    const tileUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/tiles/offers/')) tileUrls.push(decodeURIComponent(r.url()));
    });
    const all = await count('');
    await visible(page.getByText(shown(all)));
    expect(await sourceType(page)).toBe('vector');
    await page.locator('details.more > summary').click();

    for (const f of FILTERS) {
      await f.set(page);
      // Tiles: more than 20,000 offers match; the tiles are asked with the filter, and what they
      // draw adds up to what the API counts under it.
      const inTiles = await count(f.api);
      expect(inTiles, f.name).toBeGreaterThan(20_000);
      expect(inTiles, f.name).toBeLessThan(all);
      await visible(page.getByText(shown(inTiles)));
      await expect.poll(() => hashParams(page).get(f.hash[0]), { timeout: 10_000 }).toBe(f.hash[1]);
      await mapIdle(page);
      expect(await sourceType(page), f.name).toBe('vector');
      expect((await renderedOffers(page)).total, f.name).toBe(inTiles);
      expect(tileUrls.some((u) => u.includes(f.api)), f.name).toBe(true);

      // GeoJSON: a search narrows below the threshold; every offer in the source matches.
      await page.getByLabel('Suche', { exact: true }).fill(NARROW);
      const inGeojson = await count(`${f.api}&q=${encodeURIComponent(NARROW)}`);
      expect(inGeojson, f.name).toBeGreaterThan(0);
      await visible(page.getByText(shown(inGeojson)));
      await mapIdle(page);
      expect(await sourceType(page), f.name).toBe('geojson');
      expect((await renderedOffers(page)).total, f.name).toBe(inGeojson);
      const props = await page.evaluate(async () => (await (globalThis as unknown as E2EGlobal).__map!.getSource('offers')!.getData()).features.map((x) => x.properties));
      expect(props, f.name).toHaveLength(inGeojson);
      expect(props.filter((p) => !f.holds(p)), f.name).toEqual([]);
      // The table lists the same offers, with their languages.
      await page.getByRole('tab', { name: 'Angebote' }).click();
      await visible(page.locator('#table-offers thead').getByRole('button', { name: /^Sprachen/ }));
      const languages = await page.locator('#table-offers tbody tr').first().locator('td').allTextContents();
      expect(languages.some((t) => /^[A-Z]{2}(, [A-Z]{2})*$/.test(t.trim())), f.name).toBe(true);
      await page.getByLabel('Suche', { exact: true }).fill('');

      // A shared link restores the filter.
      const link = page.url();
      const other = await context.newPage();
      await other.goto(link);
      await mapIdle(other);
      await visible(other.getByText(shown(inTiles)));
      await other.close();

      await f.unset(page);
      await visible(page.getByText(shown(all)));
      await expect.poll(() => hashParams(page).has(f.hash[0]), { timeout: 10_000 }).toBe(false);
      await mapIdle(page);
      expect((await renderedOffers(page)).total, f.name).toBe(all);
    }

    // At least N free places, in GeoJSON mode without a search (fewer than 20,000 have 5).
    await page.locator('#filter-free').check();
    await page.locator('#filter-min-free').fill('5');
    await page.locator('#filter-min-free').press('Enter');
    const five = await count('min_free_places=5');
    expect(five).toBeLessThan(20_000);
    await visible(page.getByText(shown(five)));
    await expect.poll(() => hashParams(page).get('free'), { timeout: 10_000 }).toBe('5');
    await mapIdle(page);
    expect(await sourceType(page)).toBe('geojson');
    expect((await renderedOffers(page)).total).toBe(five);
    await assertAccessible(page, 'map with offer filters');
    await page.getByRole('button', { name: 'Diese Filter zurücksetzen' }).click();
    await visible(page.getByText(shown(all)));
    expect(hashParams(page).has('free')).toBe(false);
    watch.assertClean();
    await context.close();
  });
});
