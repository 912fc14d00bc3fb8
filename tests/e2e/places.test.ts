import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ServerProcess } from '../helpers/server-process.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';
import { importOfficial } from '../../server/src/import/import-official.ts';
import { addUser } from '../../server/src/seed/accounts.ts';
import { assertAccessible, containsText, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { renderedValues } from './map-page.ts';

// Kreis Herzogtum Lauenburg (01053) from the official files, without the demo, before anyone
// reported: a partner reports a need by typing part of a place name (or clicking it on the
// map), and the coordinator's first screen shows a coloured map and what is still missing.

const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const PARTNER = 'partner@lauenburg.example';
const COORDINATOR = 'coordinator@lauenburg.example';

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, async (db) => {
  await importOfficial(db, {
    scope: { level: 'kreis', key: '01053' }, boundaries: join(VG, 'VG5000_GEM.shp'), verbaende: join(VG, 'VG5000_VWG.shp'),
    population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'), removeDemo: true,
  });
  // openAs logs in with the password "demo"; the policy is for people, not for test accounts.
  await addUser(db, { email: PARTNER, password: 'demo', role: 'partner', organisation: 'Diakonie Herzogtum Lauenburg' }, false);
  await addUser(db, { email: COORDINATOR, password: 'demo', role: 'coordinator', districts: ['010530000000'] }, false);
});

type PlaceMapGlobal = { __placeMap?: MapLibreMap };

/** A canvas pixel of the picker map where only the place with this name is drawn. */
async function placePixel(page: Page, name: string): Promise<{ x: number; y: number }> {
  await expect.poll(() => page.evaluate(() => {
    const m = (globalThis as unknown as PlaceMapGlobal).__placeMap;
    return !!m && m.loaded() && m.queryRenderedFeatures(undefined, { layers: ['places-fill'] }).length > 0;
  }), { timeout: 15_000 }).toBe(true);
  const found = await page.evaluate((n) => {
    const m = (globalThis as unknown as PlaceMapGlobal).__placeMap!;
    const { clientWidth: w, clientHeight: h } = m.getCanvas();
    for (let y = 10; y < h - 30; y += 4) {
      for (let x = 10; x < w - 40; x += 4) {
        const hit = m.queryRenderedFeatures([x, y], { layers: ['places-fill'] });
        if (hit.length === 1 && hit[0]!.properties.name === n) return { x, y };
      }
    }
    return null;
  }, name);
  if (!found) throw new Error(`${name} is not drawn on the picker map`);
  return found;
}

describe('a real Kreis before its first reports', () => {
  it('lets a partner report a need by typing part of a place name and picking it', { timeout: 120_000 }, async () => {
    const { page, watch, context } = await openAs(browser, server.url, 'partner', '', PARTNER);
    await visible(page.getByRole('heading', { level: 1, name: 'Bedarfe melden' }));
    const place = page.getByRole('combobox', { name: 'Ort (Gemeinde oder Amt)' });

    // A typo is not silently refused: the closest name is offered.
    await place.fill('Fuhlenhagn');
    await visible(page.getByText('Meinten Sie:').first());
    await visible(page.getByRole('option', { name: /Fuhlenhagen/ }));
    // Sending an unpicked name is caught in the browser; nothing reaches the server.
    await page.getByLabel('Titel').fill('Sprachkurs fehlt');
    await page.getByRole('button', { name: 'Bedarf melden' }).click();
    await visible(page.getByText('Bitte wählen Sie einen der vorgeschlagenen Orte').first());
    const api = await pageApi(page, server.url);
    expect(((await (await api.get('/api/partner/needs')).json()) as { needs: unknown[] }).needs).toEqual([]);

    // Part of the name, without umlauts: the list shows kind and Amt; arrow keys and Enter pick.
    await place.fill('gross gro');
    const option = page.getByRole('option', { name: /Groß Grönau/ });
    await visible(option);
    await containsText(option, 'Gemeinde · Amt Lauenburgische Seen');
    await expect.poll(() => place.getAttribute('aria-expanded')).toBe('true');
    await assertAccessible(page, 'place picker, list open');
    await place.press('ArrowDown');
    await expect.poll(() => place.getAttribute('aria-activedescendant')).toMatch(/-0$/);
    await place.press('Enter');
    await expect.poll(() => place.inputValue()).toBe('Groß Grönau');
    await expect.poll(() => place.getAttribute('aria-expanded')).toBe('false');
    await visible(page.getByText('Gewählt: Groß Grönau').first());

    await page.getByLabel('Beschreibung').fill('Kein Abendkurs im Ort.');
    await page.getByRole('button', { name: 'Bedarf melden' }).click();
    const item = page.locator('#partner-needs li').filter({ hasText: 'Sprachkurs fehlt' });
    await visible(item);
    await containsText(item, 'Groß Grönau');

    // Or on the map: the Gemeinden's outlines; a click picks the place.
    await page.getByRole('button', { name: 'Auf der Karte wählen' }).click();
    const at = await placePixel(page, 'Ratzeburg');
    const box = (await page.locator('#pn-place-map canvas').boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await expect.poll(() => place.inputValue()).toBe('Ratzeburg');
    await visible(page.getByText('Gewählt: Ratzeburg (amtsfreie Gemeinde)').first());
    await screenshot(page, 'partner-place-picker');
    await assertAccessible(page, 'place picker with map');
    watch.assertClean();
    await context.close();
  });

  it('opens for the coordinator on a coloured map and says what is known and what is missing', { timeout: 120_000 }, async () => {
    const { page, watch, context } = await openAs(browser, server.url, 'coordinator', '', COORDINATOR);
    // No capacity report yet: the density is shown, not a hatched refugees map, and the URL names no indicator.
    await expect.poll(() => page.locator('#indicator').inputValue(), { timeout: 15_000 }).toBe('population_density');
    await visible(page.getByText('Automatisch gewählt').first());
    expect(page.url()).not.toContain('ind=');
    // Every Verband has a value (the Forstgutsbezirk Sachsenwald, uninhabited, has 0 per km²).
    await expect.poll(async () => Object.values(await renderedValues(page, 'regions-fill')).filter((v) => typeof v === 'number').length, { timeout: 15_000 }).toBe(15);
    const values = Object.values(await renderedValues(page, 'regions-fill'));
    expect(values.filter((v) => v > 0)).toHaveLength(14);
    await containsText(page.locator('.legend'), 'Einwohner je km²');
    expect(await page.locator('.legend').textContent()).not.toContain('keine Angabe');

    const panel = page.locator('#completeness');
    await containsText(panel, 'Kreis Herzogtum Lauenburg');
    await containsText(panel, 'Kapazitätsmeldungen: 0 von 15 Einheiten');
    await containsText(panel, 'Ohne Meldung (15)');
    await containsText(panel, 'noch keine Meldung');
    await containsText(panel, 'Angebote: 0');
    // The partner's need of the test above (this count is the API's, so the test also runs alone).
    const api = await pageApi(page, server.url);
    const openNeeds = ((await (await api.get('/api/completeness')).json()) as { kreise: { open_needs: number }[] }).kreise[0]!.open_needs;
    await containsText(panel, `Offene Bedarfe: ${openNeeds}`);
    await containsText(panel, '133 Gemeinden');
    await screenshot(page, 'first-screen-real-kreis');
    await assertAccessible(page, 'first screen of a real Kreis');

    // A unit without a report leads to the page where capacities are entered.
    await panel.locator('[data-unit] a').first().click();
    await expect.poll(() => page.url()).toContain('mode=capacities');
    watch.assertClean();
    await context.close();
  });
});
