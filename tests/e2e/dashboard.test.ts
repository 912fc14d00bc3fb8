import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, containsText, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { mapIdle } from './map-page.ts';
import type { E2EGlobal } from './map-page.ts';

// The Ministry's regional overview, the white-spot layer, the printable report, and the partner's
// need reports through to the coordinators' inbox, in a real Chromium against the real server.

const WAIT = { timeout: 15_000, interval: 100 };
const de = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const pct = (v: number | null) => (v === null ? '–' : `${new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v * 100)} %`);

interface Row { key: string; name: string; population: number | null; open_needs: number; offers: Record<string, { count: number; places_total: number; places_free: number }>; capacity_history: { report_date: string; housing_free: number; units_reported: number; units_total: number }[] }

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

const json = async <T>(page: Page, path: string): Promise<T> => (await (await pageApi(page, server.url)).get(path)).json() as Promise<T>;
const cells = (page: Page, table: string, key: string) => page.locator(`#${table} tr[data-key="${key}"]`);

/**
 * Where the region's bounds fall on screen: its bbox corners projected by the map, against the
 * map canvas's rectangle and the panels laid over it (the legend box, the zoom buttons).
 */
export async function framing(page: Page, bbox: [number, number, number, number]) {
  await mapIdle(page);
  return page.evaluate((b) => {
    type Rect = { left: number; top: number; right: number; bottom: number; width: number; height: number };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): Rect } | null } }).document;
    const m = (globalThis as unknown as E2EGlobal).__map!;
    const canvas = doc.querySelector('.maplibregl-canvas')!.getBoundingClientRect();
    const rect = (sel: string) => {
      const el = doc.querySelector(sel);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return r.width && r.height ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
    };
    const nw = m.project([b[0], b[3]]), se = m.project([b[2], b[1]]);
    return {
      canvas: { left: canvas.left, top: canvas.top, right: canvas.right, bottom: canvas.bottom },
      region: { left: canvas.left + nw.x, top: canvas.top + nw.y, right: canvas.left + se.x, bottom: canvas.top + se.y },
      panels: [rect('.map-wrap .legend-box'), rect('.maplibregl-ctrl-top-right .maplibregl-ctrl-group')].filter((r) => r !== null),
    };
  }, bbox);
}

type Box = { left: number; top: number; right: number; bottom: number };
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The region's bbox lies inside the visible canvas, clear of every panel over it, and fills a fair part of it. */
export function expectFramed(f: { canvas: Box; region: Box; panels: Box[] }): void {
  expect(f.region.left).toBeGreaterThanOrEqual(f.canvas.left);
  expect(f.region.top).toBeGreaterThanOrEqual(f.canvas.top);
  expect(f.region.right).toBeLessThanOrEqual(f.canvas.right);
  expect(f.region.bottom).toBeLessThanOrEqual(f.canvas.bottom);
  for (const p of f.panels) expect(overlaps(f.region, p), `region ${JSON.stringify(f.region)} under panel ${JSON.stringify(p)}`).toBe(false);
  const fill = Math.max((f.region.right - f.region.left) / (f.canvas.right - f.canvas.left), (f.region.bottom - f.region.top) / (f.canvas.bottom - f.canvas.top));
  expect(fill).toBeGreaterThan(0.4);
}

function bboxOf(coords: unknown): [number, number, number, number] {
  const pts: number[][] = [];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') pts.push(c as number[]);
    else for (const x of c as unknown[]) walk(x);
  };
  walk(coords);
  return [Math.min(...pts.map((p) => p[0]!)), Math.min(...pts.map((p) => p[1]!)), Math.max(...pts.map((p) => p[0]!)), Math.max(...pts.map((p) => p[1]!))];
}

describe('the regional overview in Chromium', () => {
  it('shows the ministry the Kreis with the API\'s numbers and drills down to Verbände and Gemeinden', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard');
    const meta = await json<{ categories: { key: string }[] }>(page, '/api/meta');
    const cat = meta.categories[0]!.key;
    const kreise = (await json<{ rows: Row[] }>(page, '/api/dashboard?level=kreis')).rows;
    expect(kreise).toHaveLength(1);
    const kreis = kreise[0]!;
    const cov = (await json<{ rows: { key: string; within_10km: number | null }[] }>(page, `/api/coverage?level=kreis&category=${cat}&thresholds=10`)).rows;

    const row = cells(page, 'dash-main', kreis.key);
    await visible(row);
    const o = kreis.offers[cat] ?? { count: 0, places_total: 0, places_free: 0 };
    const text = async (col: string) => (await row.locator(`[data-col="${col}"]`).textContent())?.trim();
    expect(await text('population')).toBe(de.format(kreis.population!));
    expect(await text('count')).toBe(de.format(o.count));
    expect(await text('places_total')).toBe(de.format(o.places_total));
    expect(await text('places_free')).toBe(de.format(o.places_free));
    expect(await text('open_needs')).toBe(de.format(kreis.open_needs));
    expect(await text('coverage')).toBe(pct(cov.find((c) => c.key === kreis.key)!.within_10km));
    // A sparkline carries its figures as text, and says how many units each point sums: on the demo
    // only the last date compares all fourteen units, so there is one point, not 18 → 132.
    const last = kreis.capacity_history.at(-1)!;
    await expect.poll(() => row.locator('svg[role="img"]').getAttribute('aria-label'), WAIT)
      .toContain(`${de.format(last.housing_free)} am 30.09.2026 (${last.units_reported} von ${last.units_total} Einheiten`);
    expect(await text('units')).toBe(`${last.units_reported}/${last.units_total} Einh.`);

    // The map frames the Kreis: its bounds inside the canvas and clear of the legend and the zoom buttons.
    const district = await json<{ features: { properties: { key: string }; geometry: { coordinates: unknown } }[] }>(page, '/api/regions?level=kreis');
    expectFramed(await framing(page, bboxOf(district.features.find((f) => f.properties.key === kreis.key)!.geometry.coordinates)));

    // With a single Kreis its Verbände are listed at once.
    const verbaende = (await json<{ rows: Row[] }>(page, `/api/dashboard?level=verband&parent=${kreis.key}`)).rows;
    await count(page.locator('#dash-sub tbody tr[data-key]'), verbaende.length);
    await mapIdle(page);
    await screenshot(page, 'dashboard-kreise');
    await assertAccessible(page, 'dashboard, Kreise');

    await row.getByRole('button', { name: `${kreis.name} öffnen` }).click();
    await expect.poll(() => page.url(), WAIT).toContain(`dparent=${kreis.key}`);
    await count(page.locator('#dash-main tbody tr[data-key]'), verbaende.length);
    const breadcrumb = page.getByRole('navigation', { name: 'Ebene der Übersicht' });
    await visible(breadcrumb.getByText(kreis.name));

    const verband = verbaende.find((v) => v.key.endsWith('000') && !v.key.endsWith('0000000'))!;
    const gemeinden = (await json<{ rows: Row[] }>(page, `/api/dashboard?level=gemeinde&parent=${verband.key}`)).rows;
    await cells(page, 'dash-main', verband.key).getByRole('button').click();
    await count(page.locator('#dash-main tbody tr[data-key]'), gemeinden.length);
    await visible(breadcrumb.getByRole('button', { name: kreis.name }));
    const units = await json<{ features: { properties: { key: string }; geometry: { coordinates: unknown } }[] }>(page, '/api/regions?level=verband');
    const verbandBox = bboxOf(units.features.find((f) => f.properties.key === verband.key)!.geometry.coordinates);
    await expect.poll(async () => { try { expectFramed(await framing(page, verbandBox)); return true; } catch { return false; } }, WAIT).toBe(true);
    expectFramed(await framing(page, verbandBox));
    await mapIdle(page);
    await screenshot(page, 'dashboard-gemeinden');
    await assertAccessible(page, 'dashboard, Gemeinden');

    await breadcrumb.getByRole('button', { name: 'Alle Kreise' }).click();
    await visible(cells(page, 'dash-main', kreis.key));
    watch.assertClean();
    await context.close();
  });

  it('says at Gemeinde level that free places per 1,000 exist per Amt / amtsfreie Gemeinde only, instead of hatching every Gemeinde', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator', '#level=gemeinde&ind=housing_free_per_1000&tab=regions');
    const gemeinden = (await json<{ features: unknown[] }>(page, '/api/regions?level=gemeinde')).features.length;
    await containsText(page.locator('.legend-box'), `nur auf Ebene Amt/amtsfreie Gemeinde verfügbar (${gemeinden} Reg.)`);
    expect(await page.locator('.legend-box').getByText('keine Angabe').count()).toBe(0);
    await mapIdle(page);
    const hatched = await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['regions-nodata'] }).length);
    expect(hatched).toBe(0);
    await containsText(page.locator('#regions-na-note'), 'Freie Wohnplätze je 1.000 Einw.');
    await containsText(page.locator('#table-regions tbody tr').first(), 'n. v.');
    await screenshot(page, 'gemeinde-level-capacity-note');
    // At Verband level the same indicator is coloured and the note is gone.
    await page.evaluate(() => { (globalThis as unknown as { location: { hash: string } }).location.hash = '#level=verband&ind=housing_free_per_1000&tab=regions'; });
    await expect.poll(() => page.locator('[data-testid="legend-unavailable"]').count(), WAIT).toBe(0);
    await expect.poll(() => page.locator('#regions-na-note').count(), WAIT).toBe(0);
    watch.assertClean();
    await context.close();
  });

  it('draws the white spots of a sparse category and lists the same Gemeinden as the API', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard&dcat=einbuergerung&dtab=whitespots&km=5');
    for (const km of [5, 10]) {
      const api = await json<{ features: { properties: { key: string } }[] }>(page, `/api/coverage/white-spots?category=einbuergerung&threshold_km=${km}`);
      const expected = api.features.map((f) => f.properties.key).sort();
      if (km === 5) expect(expected.length).toBeGreaterThan(0);
      await expect.poll(async () => (await page.locator('#table-whitespots tbody tr[data-key]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).sort(), WAIT).toEqual(expected);
      const csv = page.getByRole('link', { name: 'Liste als CSV' });
      expect(await csv.getAttribute('href')).toBe(`/api/coverage/white-spots.csv?category=einbuergerung&threshold_km=${km}`);
      await mapIdle(page);
      const drawn = await page.evaluate(() => [...new Set((globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['whitespots-fill'] }).map((f) => f.properties.key as string))]);
      expect(drawn.length > 0).toBe(expected.length > 0);
      expect(drawn.every((k) => expected.includes(k))).toBe(true);
      await containsText(page.locator('.legend-box'), `im Umkreis von ${km} km`);
      if (km === 5) {
        await screenshot(page, 'dashboard-white-spots');
        await assertAccessible(page, 'white spots');
        await page.getByRole('radio', { name: '10 km' }).check();
      }
    }
    watch.assertClean();
    await context.close();
  });

  it('prints a dated regional report with the sources and downloads it as CSV', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard&dtab=report');
    const meta = await json<{ sources: { name: string }[]; categories: unknown[] }>(page, '/api/meta');
    await visible(page.getByRole('heading', { level: 2, name: /^Angebotsstruktur/ }));
    await visible(page.getByText(/^Stand: /));
    for (const s of meta.sources) await containsText(page.locator('.report .sources'), s.name);
    const regions = 1 + (await json<{ rows: Row[] }>(page, '/api/dashboard?level=verband')).rows.length;
    await count(page.locator('#table-report tbody tr'), regions * meta.categories.length);
    await assertAccessible(page, 'report');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Bericht als CSV' }).click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    expect(csv.startsWith('\uFEFFregion_key;region_name;')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(1 + regions * meta.categories.length);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.map-wrap').isVisible()).toBe(false);
    expect(await page.getByRole('tab', { name: 'Bericht' }).isVisible()).toBe(false);
    await screenshot(page, 'dashboard-report-print');
    watch.assertClean();
    await context.close();
  });

  it('lets a partner report a need, follow it, and a coordinator find it in the inbox', { timeout: 120_000 }, async () => {
    const partner = await openAs(browser, server.url, 'partner');
    const { page } = partner;
    await visible(page.getByRole('heading', { level: 1, name: 'Bedarfe melden' }));
    // The places a partner picks from, by name (the map's layers stay closed to partners).
    const places = ((await (await page.request.get(`${server.url}/api/partner/regions`)).json()) as { regions: { key: string; name: string; level: string }[] }).regions;
    const gemeinde = places.find((p) => p.level === 'gemeinde')!;
    await assertAccessible(page, 'partner form');
    // A name that is no place is caught before sending; the place is picked from the list.
    const place = page.getByRole('combobox', { name: 'Ort (Gemeinde oder Amt)' });
    await place.fill('Nirgendwo');
    await page.getByRole('button', { name: 'Bedarf melden' }).click();
    await visible(page.getByText('Bitte wählen Sie einen der vorgeschlagenen Orte').first());

    const title = `Sprachcafé fehlt ${Date.now()}`;
    await place.fill(gemeinde.name);
    await page.locator(`[role=option][data-key="${gemeinde.key}"]`).click();
    await page.getByLabel('Art').selectOption('angebotsluecke');
    await page.getByLabel('Titel').fill(title);
    await page.getByLabel('Beschreibung').fill('Kein Treffpunkt zum Deutschüben im Ort.');
    await page.getByLabel('Priorität').selectOption('hoch');
    await page.getByRole('button', { name: 'Bedarf melden' }).click();
    const item = page.locator('#partner-needs li').filter({ hasText: title });
    await visible(item);
    await containsText(item, 'Status: neu');
    await containsText(item, gemeinde.name);
    await screenshot(page, 'partner-needs');
    await assertAccessible(page, 'partner list');
    partner.watch.assertClean();

    const coord = await openAs(browser, server.url, 'coordinator', '#tab=inbox');
    const column = coord.page.getByRole('region', { name: /neu/ });
    const card = coord.page.locator('.inbox li').filter({ hasText: title });
    await visible(card);
    expect(await column.locator('li').filter({ hasText: title }).count()).toBe(1);
    await card.getByRole('button', { name: /Verlauf und Kommentare/ }).click();
    await card.getByLabel('Kommentar').fill('Wir prüfen ein Angebot der VHS.');
    await card.getByRole('button', { name: 'Kommentar speichern' }).click();
    await containsText(card, 'Wir prüfen ein Angebot der VHS.');
    await card.getByRole('button', { name: 'Mir zuweisen' }).click();
    await containsText(card, 'Ihnen zugewiesen.');
    await screenshot(coord.page, 'inbox-history');
    await assertAccessible(coord.page, 'inbox with history');
    coord.watch.assertClean();

    // The partner sees the comment in the history (assignments are internal).
    await page.reload();
    await visible(item);
    await item.getByText(/^Verlauf/).click();
    await containsText(item, 'Wir prüfen ein Angebot der VHS.');
    partner.watch.assertClean();
    await coord.context.close();
    await partner.context.close();
  });
});
