import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { addGeneratedOffers } from '../helpers/generated-offers.ts';
import { assertAccessible, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { clickMap, mapIdle, renderedCount, renderedOffers, type E2EGlobal } from './map-page.ts';

// More offers than the client downloads as GeoJSON (20,000): the map draws the server's vector
// tiles, clustered on the server up to zoom 12, and asks for them with the same filters.
const GENERATED = 24_000;

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, (db) => addGeneratedOffers(db, GENERATED));

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const shown = (n: number) => `${n.toLocaleString('de-DE')} Angebote angezeigt`;
const sourceType = (page: Page) => page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getSource('offers')?.type);

/** The drawn cluster with the most offers, and where it is on the canvas. */
async function biggestCluster(page: Page): Promise<{ x: number; y: number; count: number; lngLat: [number, number] }> {
  return page.evaluate(() => {
    const m = (globalThis as unknown as E2EGlobal).__map!;
    const all = m.queryRenderedFeatures(undefined, { layers: ['offers-clusters'] });
    const top = all.sort((a, b) => (b.properties.point_count as number) - (a.properties.point_count as number))[0]!;
    const lngLat = top.geometry.coordinates as [number, number];
    return { ...m.project(lngLat), count: top.properties.point_count as number, lngLat };
  });
}

describe('the map with more offers than it downloads, from vector tiles', () => {
  it('draws the server\'s clusters with counts, filters them, zooms in and selects a single offer', { timeout: 180_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator');
    const { get } = await pageApi(page, server.url);
    const tileUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/tiles/offers/')) tileUrls.push(decodeURIComponent(r.url()));
    });
    expect(await sourceType(page)).toBe('vector');
    const counts = (await (await get('/api/offers/counts')).json()) as Record<string, number>;
    expect(sum(counts)).toBeGreaterThan(GENERATED);
    // The whole district is in view: the clusters and single offers drawn add up to every offer.
    await visible(page.getByText(shown(sum(counts))));
    expect(await renderedCount(page, 'offers-clusters')).toBeGreaterThan(0);
    expect((await renderedOffers(page)).total).toBe(sum(counts));
    await visible(page.locator('.cluster-label').first());
    await screenshot(page, 'offer-tiles-clusters');

    // One category less: still above the threshold, so still tiles, now filtered on the server.
    await page.locator('input[data-category="ehrenamt_freizeit"]').uncheck();
    const rest = sum(counts) - counts.ehrenamt_freizeit!;
    await visible(page.getByText(shown(rest)));
    await mapIdle(page);
    expect(await sourceType(page)).toBe('vector');
    expect((await renderedOffers(page)).total).toBe(rest);
    expect(tileUrls.some((u) => u.includes('category=sprache,arbeit'))).toBe(true);
    const composition = await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!
      .queryRenderedFeatures(undefined, { layers: ['offers-clusters'] }).map((f) => f.properties));
    expect(composition.every((p) => p.count_ehrenamt_freizeit === undefined)).toBe(true);

    // A search that keeps the generated offers only.
    await page.getByRole('button', { name: 'alle', exact: true }).click();
    await page.getByLabel('Suche', { exact: true }).fill('Generiertes');
    const found = sum((await (await get('/api/offers/counts?q=Generiertes')).json()) as Record<string, number>);
    expect(found).toBe(GENERATED);
    await visible(page.getByText(shown(found)));
    await mapIdle(page);
    expect(await sourceType(page)).toBe('vector');
    expect((await renderedOffers(page)).total).toBe(found);
    expect(tileUrls.some((u) => u.includes('q=Generiertes'))).toBe(true);
    // A narrower search falls below the threshold: the map downloads GeoJSON again.
    await page.getByLabel('Suche', { exact: true }).fill('Generiertes Angebot 12');
    await visible(page.getByText(shown(1111)));
    await mapIdle(page);
    expect(await sourceType(page)).toBe('geojson');
    expect((await renderedOffers(page)).total).toBe(1111);
    await page.getByLabel('Suche', { exact: true }).fill('');
    await visible(page.getByText(shown(sum(counts))));
    await mapIdle(page);
    expect(await sourceType(page)).toBe('vector');

    // A click on a cluster zooms in by two steps.
    const before = await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getZoom());
    const cluster = await biggestCluster(page);
    await clickMap(page, cluster.x, cluster.y);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getZoom()), { timeout: 10_000 }).toBe(Math.floor(before) + 2);
    await mapIdle(page);

    // From zoom 13 on: single offers, and a click shows one in the detail panel.
    await page.evaluate((center) => (globalThis as unknown as E2EGlobal).__map!.jumpTo({ center, zoom: 15 }), cluster.lngLat);
    await mapIdle(page);
    expect(await renderedCount(page, 'offers-clusters')).toBe(0);
    const point = await page.evaluate(() => {
      const m = (globalThis as unknown as E2EGlobal).__map!;
      const f = m.queryRenderedFeatures(undefined, { layers: ['offers-points'] })[0]!;
      return { ...m.project(f.geometry.coordinates as [number, number]) };
    });
    await clickMap(page, point.x, point.y);
    await expect.poll(() => page.url()).toMatch(/sel=offer:\d+/);
    const id = Number(/sel=offer:(\d+)/.exec(page.url())![1]);
    const offer = (await (await get(`/api/offers/${id}`)).json()) as { properties: { name: string } };
    await visible(page.getByRole('complementary', { name: 'Details zur Auswahl' }).getByRole('heading', { level: 2, name: offer.properties.name }));
    await mapIdle(page);
    // The table does not list what was not downloaded, and says so.
    await page.getByRole('tab', { name: 'Angebote' }).click();
    await visible(page.getByText(/^Mehr als 20\.000 Angebote mit diesen Filtern/));
    await screenshot(page, 'offer-tiles-single');
    await assertAccessible(page, 'map drawing offers from vector tiles');
    watch.assertClean();
    await context.close();
  });
});
