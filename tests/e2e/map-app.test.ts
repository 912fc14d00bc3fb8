import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, attribute, containsText, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi, type Role } from './app-session.ts';
import { clickMap, mapIdle, regionPixel, renderedCount, renderedOffers, sourceCategories } from './map-page.ts';

// The map application in a real Chromium against the real server on a copy of the seeded demo
// database. Every test opens its own browser context (own cookies and storage) and fails on any
// page error or console error that it did not provoke on purpose.

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

const open = (role: Role) => openAs(browser, server.url, role);
const api = (page: Page) => pageApi(page, server.url);

describe('the map application in Chromium', () => {
  it('shows a ministry user the layers, a region on click, and no editing', { timeout: 60_000 }, async () => {
    const { context, page, watch } = await open('ministry');
    await visible(page.getByText('Demodaten', { exact: true }));
    await containsText(page.locator('.maplibregl-ctrl-attrib'), 'Fiktive Demodaten');
    expect(await page.getByRole('button', { name: /Angebot hinzufügen/ }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Bedarfe bearbeiten' }).count()).toBe(0);
    // Ministry reads but does not export.
    expect(await page.getByRole('link', { name: /GeoJSON/ }).count()).toBe(0);

    expect(await renderedCount(page, 'regions-fill')).toBeGreaterThan(0);
    expect((await renderedOffers(page)).total).toBe((await sourceCategories(page)).count);
    expect(await renderedCount(page, 'needs-points')).toBeGreaterThan(0);
    await screenshot(page, 'map-ministry');

    const target = await regionPixel(page);
    await clickMap(page, target.x, target.y);
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await visible(detail.getByRole('heading', { level: 2, name: target.name }));
    await visible(detail.getByText('Kapazitätsmeldungen (neueste zuerst)'));
    expect(await detail.getByRole('button', { name: 'Kapazitätsmeldung erfassen' }).count()).toBe(0);
    // The same selection in the table, and in the URL.
    await attribute(page.locator(`#table-regions tr[data-key="${target.key}"]`), 'aria-current', 'true');
    await expect.poll(() => page.url()).toContain(`sel=region:${target.key}`);
    await mapIdle(page);
    await screenshot(page, 'region-detail');
    await assertAccessible(page, 'map with region detail');
    // With the tables collapsed the map gets the room, and the page stays accessible.
    await page.getByRole('button', { name: 'Tabellen einklappen' }).click();
    await count(page.getByRole('tabpanel'), 0);
    await assertAccessible(page, 'map with collapsed tables');
    watch.assertClean();
    await context.close();
  });

  it('lets a coordinator filter, search, add an offer on the map, edit it and find it after reload', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await open('coordinator');
    const { csrf, get } = await api(page);
    await visible(page.getByRole('button', { name: /Angebot hinzufügen/ }));
    const all = (await sourceCategories(page)).count;

    // Category filter: only "Sprache".
    const counts = (await (await get('/api/offers/counts')).json()) as Record<string, number>;
    await page.getByRole('button', { name: 'keine', exact: true }).click();
    await page.locator('input[data-category="sprache"]').check();
    await visible(page.getByText(`${counts.sprache} Angebote angezeigt`));
    await mapIdle(page);
    expect(await sourceCategories(page)).toEqual({ count: counts.sprache, categories: ['sprache'] });
    const onlyLanguage = await renderedOffers(page);
    expect(onlyLanguage.total).toBe(counts.sprache);
    expect(onlyLanguage.pointCategories.every((c) => c === 'sprache')).toBe(true);

    // Text search on top of all categories.
    await page.getByRole('button', { name: 'alle', exact: true }).click();
    await page.getByLabel('Suche', { exact: true }).fill('Sprachcafé');
    const found = ((await (await get('/api/offers?q=Sprachcaf%C3%A9')).json()) as { features: unknown[] }).features.length;
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(all);
    await visible(page.getByText(`${found} Angebote angezeigt`));
    await mapIdle(page);
    expect((await renderedOffers(page)).total).toBe(found);
    await page.getByLabel('Suche', { exact: true }).fill('');
    await visible(page.getByText(`${all} Angebote angezeigt`));
    await mapIdle(page);

    // Add: click the button, then the map; the form opens with the clicked position.
    await page.getByRole('button', { name: /Angebot hinzufügen/ }).click();
    const spot = await regionPixel(page);
    await clickMap(page, spot.x, spot.y);
    const form = page.locator('form.offer-form');
    await visible(form.getByRole('heading', { name: 'Neues Angebot' }));
    expect(Number(await form.getByLabel('Geografische Länge').inputValue())).toBeGreaterThan(9);

    // The API's field errors appear at their fields.
    watch.allow(400);
    await form.getByLabel('Postleitzahl').fill('123');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await visible(form.locator('#offer-category-error'));
    await visible(form.locator('#offer-postcode-error'));
    await attribute(form.getByLabel('Postleitzahl'), 'aria-invalid', 'true');
    await screenshot(page, 'offer-form-errors');
    await assertAccessible(page, 'offer form with errors');

    await form.getByLabel('Kategorie', { exact: true }).selectOption('sprache');
    await form.getByLabel('Name *').fill('E2E Sprachtreff am Hafen');
    await form.getByLabel('Postleitzahl').fill('24103');
    await form.getByLabel('Sprachen').fill('de, uk');
    await form.getByRole('button', { name: 'Speichern' }).click();
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await visible(detail.getByRole('heading', { level: 2, name: 'E2E Sprachtreff am Hafen' }));
    await expect.poll(() => page.url()).toMatch(/sel=offer:\d+/);
    const id = Number(/sel=offer:(\d+)/.exec(page.url())![1]);

    // Edit it in the form.
    await detail.getByRole('button', { name: 'Bearbeiten' }).click();
    await form.getByLabel('Name *').fill('E2E Sprachtreff am Hafen (geändert)');
    await form.getByLabel('Plätze gesamt').fill('20');
    await form.getByLabel('Freie Plätze').fill('7');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await visible(detail.getByRole('heading', { level: 2, name: 'E2E Sprachtreff am Hafen (geändert)' }));
    const saved = (await (await get(`/api/offers/${id}`)).json()) as { properties: { name: string; places_total: number; places_free: number; languages: string[]; version: number } };
    expect(saved.properties).toMatchObject({ name: 'E2E Sprachtreff am Hafen (geändert)', places_total: 20, places_free: 7, languages: ['de', 'uk'], version: 2 });

    // A reload restores the view from the URL, and the offer is there.
    await page.reload();
    await mapIdle(page);
    await visible(detail.getByRole('heading', { level: 2, name: 'E2E Sprachtreff am Hafen (geändert)' }));
    await page.getByRole('tab', { name: 'Angebote' }).click();
    await page.getByLabel('Tabelle filtern').fill('E2E Sprachtreff');
    await attribute(page.locator(`#table-offers tr[data-key="${id}"]`), 'aria-current', 'true');
    await expect.poll(() => page.evaluate((offerId) => JSON.stringify((globalThis as unknown as { __map: { getFilter(id: string): unknown } }).__map.getFilter('offers-selected')).includes(`${offerId}]`), id)).toBe(true);
    await screenshot(page, 'offer-detail');
    expect(csrf).toBeTruthy();
    watch.assertClean();
    await context.close();
  });

  it('shows both versions on a stale edit and re-applies the user\'s input', { timeout: 60_000 }, async () => {
    const { context, page, watch } = await open('coordinator');
    const { csrf, get } = await api(page);
    await page.getByRole('tab', { name: 'Angebote' }).click();
    const firstRow = page.locator('#table-offers tbody tr').first();
    const id = Number(await firstRow.getAttribute('data-key'));
    await firstRow.locator('th button').click();
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await detail.getByRole('button', { name: 'Bearbeiten' }).click();
    const form = page.locator('form.offer-form');
    await form.getByLabel('Öffnungszeiten').fill('Mo-Fr 9-12 (meine Eingabe)');

    // Meanwhile someone else saves the offer.
    const current = await get(`/api/offers/${id}`);
    const feature = (await current.json()) as { geometry: unknown; properties: Record<string, unknown> };
    const { id: _id, provider_name: _p, region_key: _r, region_name: _n, version: _v, updated_at: _u, ...writable } = feature.properties;
    const put = await page.request.put(`${server.url}/api/offers/${id}`, {
      headers: { 'x-csrf-token': csrf, 'if-match': current.headers().etag! },
      data: { type: 'Feature', geometry: feature.geometry, properties: { ...writable, name: `${String(writable.name)} (von anderer Stelle)` } },
    });
    expect(put.status()).toBe(200);

    watch.allow(412);
    await form.getByRole('button', { name: 'Speichern' }).click();
    const conflict = form.getByRole('alert').filter({ hasText: 'Inzwischen von jemand anderem geändert' });
    await visible(conflict);
    await containsText(conflict.getByRole('row', { name: /Öffnungszeiten/ }), 'meine Eingabe');
    await containsText(conflict.getByRole('row', { name: /^Name/ }), '(von anderer Stelle)');
    // Only the two changed fields are listed (plus the header row).
    await count(conflict.getByRole('row'), 3);
    await screenshot(page, 'offer-conflict');
    await conflict.getByRole('button', { name: 'Meine Eingaben auf den aktuellen Stand anwenden' }).click();
    await visible(detail.getByText('Mo-Fr 9-12 (meine Eingabe)'));
    // Both changes survive: the user's field and the other person's.
    const after = (await (await get(`/api/offers/${id}`)).json()) as { properties: { name: string; opening_hours: string; version: number } };
    expect(after.properties).toMatchObject({ opening_hours: 'Mo-Fr 9-12 (meine Eingabe)', version: 3 });
    expect(after.properties.name).toMatch(/\(von anderer Stelle\)$/);

    // A capacity report for a Verband, prefilled with the previous one.
    await page.getByRole('tab', { name: 'Regionen' }).click();
    await page.locator('#table-regions tbody tr').first().locator('th button').click();
    await detail.getByRole('button', { name: 'Kapazitätsmeldung erfassen' }).click();
    const report = page.locator('form[aria-labelledby="cap-title"]');
    await visible(report.getByText(/Vorbelegt mit der letzten Meldung/));
    const housing = report.getByLabel('Freie Wohnplätze', { exact: true });
    await expect.poll(() => housing.inputValue()).not.toBe('');
    await housing.fill('99');
    await report.getByLabel('Stichtag').fill('2026-12-31');
    await screenshot(page, 'capacity-form');
    await report.getByRole('button', { name: 'Meldung speichern' }).click();
    const newest = detail.locator('table tbody tr').first();
    await containsText(newest, '31.12.2026');
    await containsText(newest, '99');

    // The needs inbox moves a need on.
    await page.getByRole('tab', { name: 'Bedarfe bearbeiten' }).click();
    const newColumn = page.getByRole('region', { name: /^neu/ });
    await visible(newColumn.getByRole('button', { name: /^In Bearbeitung nehmen/ }).first());
    const before = await newColumn.getByRole('listitem').count();
    await newColumn.getByRole('button', { name: /^In Bearbeitung nehmen/ }).first().click();
    await count(newColumn.getByRole('listitem'), before - 1);
    await screenshot(page, 'needs-inbox');
    await assertAccessible(page, 'needs inbox');
    watch.assertClean();
    await context.close();
  });

  it('keeps tables and map in step, switches to English and prints an overview', { timeout: 60_000 }, async () => {
    const { context, page, watch } = await open('analyst');
    await page.getByRole('tab', { name: 'Angebote' }).click();
    await attribute(page.getByRole('link', { name: /GeoJSON/ }), 'href', /\/api\/export\/offers\.geojson/);
    const nameHeader = page.locator('#table-offers thead th').first();
    await nameHeader.getByRole('button').click();
    await attribute(nameHeader, 'aria-sort', 'ascending');
    const names = await page.locator('#table-offers tbody th').allTextContents();
    expect(names.slice(0, 10)).toEqual([...names.slice(0, 10)].sort((a, b) => a.localeCompare(b, 'de', { numeric: true, sensitivity: 'base' })));
    await page.locator('#table-offers tbody tr').nth(1).locator('th button').click();
    const id = await page.locator('#table-offers tbody tr').nth(1).getAttribute('data-key');
    await expect.poll(() => page.url()).toContain(`sel=offer:${id}`);
    await mapIdle(page);
    // The map shows the row's offer as selected.
    expect(await renderedCount(page, 'offers-selected')).toBeGreaterThan(0);
    await screenshot(page, 'table-offers');
    await assertAccessible(page, 'offers table');

    await page.getByRole('button', { name: /English/ }).click();
    await visible(page.getByRole('heading', { name: 'Layers' }));
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('en');
    await page.reload();
    await mapIdle(page);
    await visible(page.getByRole('heading', { name: 'Layers' }));
    // The drawer's tabs by keyboard (WAI-ARIA tabs): arrows, Home and End move and open, the
    // toggle collapses, and the open tab is the one Tab reaches.
    await page.getByRole('tab', { name: 'Offers' }).focus();
    await page.keyboard.press('ArrowRight');
    await attribute(page.getByRole('tab', { name: 'Needs' }), 'aria-selected', 'true');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('tab-needs');
    await page.keyboard.press('End');
    await attribute(page.getByRole('tab', { name: 'Regional overview' }), 'aria-selected', 'true');
    await page.keyboard.press('ArrowRight');
    await attribute(page.getByRole('tab', { name: 'Regions' }), 'aria-selected', 'true');
    await page.getByRole('button', { name: 'Collapse' }).click();
    expect(await page.locator('#drawer-panel').count()).toBe(0);
    await page.getByRole('tab', { name: 'Regional overview' }).click();
    await visible(page.getByRole('heading', { name: /^Regional overview / }));
    await visible(page.getByRole('heading', { name: 'Offers by category' }));
    await screenshot(page, 'overview-en');
    await assertAccessible(page, 'regional overview in English');
    watch.assertClean();
    await context.close();
  });

  it('shows a partner the reporting page instead of the map', async () => {
    const { context, page, watch } = await open('partner');
    await visible(page.getByRole('heading', { name: 'Bedarfe melden' }));
    expect(await page.locator('canvas').count()).toBe(0);
    await assertAccessible(page, 'partner page');
    watch.assertClean();
    await context.close();
  });
});
