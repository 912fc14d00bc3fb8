import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Feature, FeatureCollection, MultiPolygon, Point, Position } from 'geojson';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, containsText, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';
import { clickMap, mapIdle, pixelOf, renderedValues, type E2EGlobal } from './map-page.ts';
import { KIEL, KIEL_COORDINATOR, LAND, LAUENBURG, LAUENBURG_COORDINATOR, prepareLand } from './land-fixture.ts';

// The whole of Schleswig-Holstein (15 Kreise, 172 Verbände, 1,108 Gemeinden from the official
// open data) in a real Chromium: the Ministry's views at Land level, and a coordinator who sees
// only their own Kreis. The import runs once for this file.

const WAIT = { timeout: 20_000, interval: 100 };
const de = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v * 100)} %`);

interface Row { key: string; name: string; kind: string; population: number | null; open_needs: number; offers: Record<string, { count: number; places_total: number; places_free: number }> }
type Regions = FeatureCollection<MultiPolygon, { key: string; name: string; population: number | null }>;

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
}, (db) => prepareLand(db), 'empty');

const json = async <T>(page: Page, path: string): Promise<T> => {
  const res = await (await pageApi(page, server.url)).get(path);
  expect(res.status(), path).toBe(200);
  return res.json() as Promise<T>;
};
const rowsOf = (page: Page, table: string) => page.locator(`#${table} tbody tr[data-key]`);
const keysOf = (page: Page, table: string) => rowsOf(page, table).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')!));

function bbox(f: Feature<MultiPolygon>): [number, number, number, number] {
  const pts: Position[] = f.geometry.coordinates.flat(2);
  return [Math.min(...pts.map((p) => p[0]!)), Math.min(...pts.map((p) => p[1]!)), Math.max(...pts.map((p) => p[0]!)), Math.max(...pts.map((p) => p[1]!))];
}

/** The map's camera once it has settled: centre and zoom. */
async function camera(page: Page): Promise<{ lng: number; lat: number; zoom: number }> {
  await mapIdle(page);
  return page.evaluate(() => {
    const m = (globalThis as unknown as E2EGlobal).__map!;
    return { ...m.getCenter(), zoom: m.getZoom() };
  });
}

/** The regions outlined as the drill-down point. */
async function focused(page: Page): Promise<string[]> {
  await mapIdle(page);
  return page.evaluate(() => [...new Set((globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['dash-focus-line'] }).map((f) => f.properties.key as string))]);
}

const inside = (c: { lng: number; lat: number }, b: [number, number, number, number]) => c.lng >= b[0] && c.lng <= b[2] && c.lat >= b[1] && c.lat <= b[3];

describe('Schleswig-Holstein at Land level in Chromium', () => {
  it('lists all 15 Kreise with their aggregates and drills down to Verband and Gemeinde on map and table', { timeout: 180_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard');
    const api = await pageApi(page, server.url);
    const kreise = (await json<{ rows: Row[] }>(page, '/api/dashboard?level=kreis')).rows;
    expect(kreise).toHaveLength(15);
    expect(kreise.every((k) => k.key.startsWith('01') && k.key.endsWith('0000000'))).toBe(true);
    const [land] = (await json<{ rows: Row[] }>(page, '/api/dashboard?level=land')).rows;
    expect(land!.population).toBe(kreise.reduce((s, k) => s + k.population!, 0));
    const cov = (await json<{ rows: { key: string; within_10km: number | null }[] }>(page, '/api/coverage?level=kreis&category=sprache&thresholds=10')).rows;

    await count(rowsOf(page, 'dash-main'), 15);
    expect(await keysOf(page, 'dash-main')).toEqual(kreise.map((k) => k.key));
    // More than one Kreis: no Verbände below the table until one is chosen.
    expect(await rowsOf(page, 'dash-sub').count()).toBe(0);
    let offersInKreise = 0;
    for (const k of kreise) {
      const row = page.locator(`#dash-main tr[data-key="${k.key}"]`);
      const text = async (col: string) => (await row.locator(`[data-col="${col}"]`).textContent())?.trim();
      const o = k.offers.sprache ?? { count: 0, places_total: 0, places_free: 0 };
      // The aggregate per Kreis equals the offers the layer lists for that Kreis.
      const layer = (await (await api.get(`/api/offers?category=sprache&region=${k.key}`)).json()) as FeatureCollection<Point, { places_total: number; places_free: number }>;
      expect(o.count, k.name).toBe(layer.features.length);
      expect(o.places_free, k.name).toBe(layer.features.reduce((s, f) => s + f.properties.places_free, 0));
      offersInKreise += o.count;
      expect(await text('population')).toBe(de.format(k.population!));
      expect(await text('count')).toBe(de.format(o.count));
      expect(await text('places_total')).toBe(de.format(o.places_total));
      expect(await text('places_free')).toBe(de.format(o.places_free));
      expect(await text('open_needs')).toBe(de.format(k.open_needs));
      expect(await text('coverage')).toBe(pct(cov.find((c) => c.key === k.key)!.within_10km));
    }
    expect(offersInKreise).toBe(land!.offers.sprache!.count);
    // The Land's own row sums them up, below the Kreise.
    const [landCov] = (await json<{ rows: { key: string; within_10km: number | null }[] }>(page, '/api/coverage?level=land&category=sprache&thresholds=10')).rows;
    const total = page.locator(`#dash-main tfoot tr[data-key="${LAND}"]`);
    await visible(total);
    const totalText = async (col: string) => (await total.locator(`[data-col="${col}"]`).textContent())?.trim();
    expect(await total.locator('th').textContent()).toContain('Schleswig-Holstein');
    expect(await totalText('population')).toBe(de.format(land!.population!));
    expect(await totalText('count')).toBe(de.format(offersInKreise));
    expect(await totalText('coverage')).toBe(pct(landCov!.within_10km));
    expect(await totalText('open_needs')).toBe('3');
    expect(kreise.filter((k) => k.open_needs > 0).map((k) => k.key)).toEqual([KIEL, LAUENBURG, '010610000000']);

    // The map shows all of the Land.
    const outlines = await json<Regions>(page, '/api/regions?level=kreis');
    const landBox = outlines.features.map(bbox).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
    const top = await camera(page);
    expect(inside(top, landBox)).toBe(true);
    const bounds = await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.getBounds().toArray());
    expect(bounds[0][0]).toBeLessThanOrEqual(landBox[0]);
    expect(bounds[1][1]).toBeGreaterThanOrEqual(landBox[3]);
    await screenshot(page, 'land-dashboard-kreise');
    await assertAccessible(page, 'Land dashboard, Kreise');

    // Land → Kreis: the table lists its Verbände, the map moves to it.
    const lauenburg = kreise.find((k) => k.key === LAUENBURG)!;
    const verbaende = (await json<{ rows: Row[] }>(page, `/api/dashboard?level=verband&parent=${LAUENBURG}`)).rows;
    await page.locator(`#dash-main tr[data-key="${LAUENBURG}"]`).getByRole('button', { name: `${lauenburg.name} öffnen` }).click();
    await expect.poll(() => page.url(), WAIT).toContain(`dparent=${LAUENBURG}`);
    await expect.poll(() => keysOf(page, 'dash-main'), WAIT).toEqual(verbaende.map((v) => v.key));
    const breadcrumb = page.getByRole('navigation', { name: 'Ebene der Übersicht' });
    await visible(breadcrumb.getByText(lauenburg.name));
    const atKreis = await camera(page);
    expect(inside(atKreis, bbox(outlines.features.find((f) => f.properties.key === LAUENBURG)!))).toBe(true);
    expect(atKreis.zoom).toBeGreaterThan(top.zoom);

    expect(await focused(page)).toEqual([LAUENBURG]);

    // Kreis → Verband (an Amt) on the map: a click on it lists its Gemeinden, the map closer still.
    const amt = verbaende.find((v) => v.kind === 'Amt')!;
    const gemeinden = (await json<{ rows: Row[] }>(page, `/api/dashboard?level=gemeinde&parent=${amt.key}`)).rows;
    expect(gemeinden.length).toBeGreaterThan(1);
    const onAmt = await pixelOf(page, 'dash-areas-fill', amt.key);
    await clickMap(page, onAmt.x, onAmt.y);
    await expect.poll(() => page.url(), WAIT).toContain(`dparent=${amt.key}`);
    await expect.poll(() => keysOf(page, 'dash-main'), WAIT).toEqual(gemeinden.map((g) => g.key));
    // Gemeinden are the lowest level: no further drill-down.
    expect(await rowsOf(page, 'dash-main').getByRole('button').count()).toBe(0);
    await visible(breadcrumb.getByRole('button', { name: lauenburg.name }));
    await visible(breadcrumb.getByText(amt.name));
    const units = await json<Regions>(page, `/api/regions?level=verband&parent=${LAUENBURG}`);
    const atVerband = await camera(page);
    expect(inside(atVerband, bbox(units.features.find((f) => f.properties.key === amt.key)!))).toBe(true);
    expect(atVerband.zoom).toBeGreaterThan(atKreis.zoom);
    expect(await focused(page)).toEqual([amt.key]);
    await screenshot(page, 'land-dashboard-gemeinden');
    await assertAccessible(page, 'Land dashboard, Gemeinden');

    // And back up: the Kreis, then all Kreise.
    await breadcrumb.getByRole('button', { name: lauenburg.name }).click();
    await expect.poll(() => keysOf(page, 'dash-main'), WAIT).toEqual(verbaende.map((v) => v.key));
    await breadcrumb.getByRole('button', { name: 'Alle Kreise' }).click();
    await count(rowsOf(page, 'dash-main'), 15);
    expect(await focused(page)).toEqual([]);
    // Land → Kreis on the map: Kiel, a kreisfreie Stadt, is its own single Verband.
    await mapIdle(page);
    const onKiel = await pixelOf(page, 'dash-areas-fill', KIEL);
    await clickMap(page, onKiel.x, onKiel.y);
    await expect.poll(() => keysOf(page, 'dash-main'), WAIT).toEqual((await json<{ rows: Row[] }>(page, `/api/dashboard?level=verband&parent=${KIEL}`)).rows.map((r) => r.key));
    watch.assertClean();
    await context.close();
  });

  it('draws the white spots of the whole Land and lists the same Gemeinden as the API', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard&dcat=einbuergerung&dtab=whitespots&km=10');
    const api = await json<FeatureCollection<MultiPolygon, { key: string }>>(page, '/api/coverage/white-spots?category=einbuergerung&threshold_km=10');
    const expected = api.features.map((f) => f.properties.key).sort();
    // Einbürgerung is offered in four Kreise only: the other eleven are out of reach throughout.
    expect(new Set(expected.map((k) => k.slice(0, 5))).size).toBeGreaterThanOrEqual(11);
    await expect.poll(async () => (await keysOf(page, 'table-whitespots')).sort(), WAIT).toEqual(expected);
    await mapIdle(page);
    const drawn = await page.evaluate(() => [...new Set((globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['whitespots-fill'] }).map((f) => f.properties.key as string))]);
    expect(drawn.every((k) => expected.includes(k))).toBe(true);
    // At Land scale most of them are drawn, across the Kreise.
    expect(drawn.length).toBeGreaterThan(expected.length * 0.8);
    expect(new Set(drawn.map((k) => k.slice(0, 5))).size).toBeGreaterThanOrEqual(11);
    await containsText(page.locator('.legend-box'), `${expected.length}`);
    await screenshot(page, 'land-white-spots');
    await assertAccessible(page, 'Land white spots');
    watch.assertClean();
    await context.close();
  });

  it('prints the report for the Land: the Land and every Kreis, per category, and as CSV', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#mode=dashboard&dtab=report');
    const meta = await json<{ sources: { name: string }[]; categories: { key: string }[] }>(page, '/api/meta');
    const kreise = (await json<{ rows: Row[] }>(page, '/api/dashboard?level=kreis')).rows;
    await visible(page.getByRole('heading', { level: 2, name: 'Angebotsstruktur und Versorgung: Schleswig-Holstein', exact: true }));
    await visible(page.getByText(/^Stand: /));
    for (const s of meta.sources) await containsText(page.locator('.report .sources'), s.name);
    const regions = 1 + kreise.length;
    await count(page.locator('#table-report tbody tr'), regions * meta.categories.length);
    await containsText(page.locator('#table-report tbody').first(), 'Schleswig-Holstein');
    await assertAccessible(page, 'Land report');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Bericht als CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(1 + regions * meta.categories.length);
    expect(lines[1]!.startsWith(`${LAND};Schleswig-Holstein;`)).toBe(true);
    for (const k of kreise) expect(lines.filter((l) => l.startsWith(`${k.key};`))).toHaveLength(meta.categories.length);

    // A map of the Land by its Kreise, then one per Kreis by its Verbände: every region one path.
    await page.locator('article.report[aria-busy="false"]').waitFor({ timeout: 60_000 });
    await count(page.locator('figure.map-page[data-key="all"] svg.report-map path[data-key]'), kreise.length);
    for (const k of kreise) await count(page.locator(`figure.map-page[data-key="${k.key}"]`), 1);
    await count(page.locator('figure.map-page:not([data-key="all"]) svg.report-map path[data-key]'), 172);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.map-wrap').isVisible()).toBe(false);
    await screenshot(page, 'land-report-print');
    // Summary, the Land's map, 15 Kreis maps, the tables: each starts a page.
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThanOrEqual(2 + kreise.length + 1);
    watch.assertClean();
    await context.close();
  });

  it('colours all Verbände and Gemeinden of the Land by an indicator, with readable labels', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'ministry', '#ind=population&layers=regions');
    const verbaende = await json<Regions>(page, '/api/regions?level=verband');
    expect(verbaende.features).toHaveLength(172);
    await mapIdle(page);
    const values = await renderedValues(page, 'regions-fill');
    // Every Kreis is coloured, with the API's numbers.
    expect(new Set(Object.keys(values).map((k) => k.slice(0, 5))).size).toBe(15);
    expect(Object.keys(values).length).toBeGreaterThan(150);
    for (const f of verbaende.features) if (f.properties.key in values) expect(values[f.properties.key]).toBe(f.properties.population);
    // The legend counts every Verband in its classes.
    const legendCounts = await page.locator('.legend-box li').evaluateAll((lis) => lis.map((li) => /(\d+) Reg\./.exec(li.textContent ?? '')?.[1]).filter(Boolean).map(Number));
    expect(legendCounts.reduce((a, b) => a + b, 0)).toBe(172);
    expect(await page.locator('.map-label.region-label').count()).toBe(172);
    await assertNoOverlappingLabels(page);
    await screenshot(page, 'land-choropleth-verbaende');
    await assertAccessible(page, 'Land choropleth');

    await page.getByRole('radio', { name: 'Gemeinde', exact: true }).check();
    await expect.poll(() => page.evaluate(async () => (await (globalThis as unknown as E2EGlobal).__map!.getSource('regions')!.getData()).features.length), WAIT).toBe(1108);
    await mapIdle(page);
    const gemeinden = await renderedValues(page, 'regions-fill');
    expect(new Set(Object.keys(gemeinden).map((k) => k.slice(0, 5))).size).toBe(15);
    await assertNoOverlappingLabels(page);
    watch.assertClean();
    await context.close();
  });

  it('shows a coordinator only their own Kreis, and none of another Kreis\'s offers', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator', '#mode=dashboard', LAUENBURG_COORDINATOR);
    const api = await pageApi(page, server.url);
    const kreise = (await json<{ rows: Row[] }>(page, '/api/dashboard?level=kreis')).rows;
    expect(kreise.map((k) => k.key)).toEqual([LAUENBURG]);
    // A lone Kreis: its row, and its Verbände right below.
    await expect.poll(() => keysOf(page, 'dash-main'), WAIT).toEqual([LAUENBURG]);
    const verbaende = (await json<{ rows: Row[] }>(page, `/api/dashboard?level=verband&parent=${LAUENBURG}`)).rows;
    await expect.poll(() => keysOf(page, 'dash-sub'), WAIT).toEqual(verbaende.map((v) => v.key));
    await mapIdle(page);
    const spots = await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['whitespots-fill'] }).map((f) => f.properties.key as string));
    expect(spots.length).toBeGreaterThan(0);
    expect(spots.every((k) => k.startsWith('01053'))).toBe(true);
    await assertAccessible(page, 'coordinator dashboard');

    // The map: only Lauenburg's offers, Verbände and needs.
    await page.evaluate(() => { (globalThis as unknown as { location: { hash: string } }).location.hash = '#layers=regions,offers,needs'; });
    await mapIdle(page);
    await expect.poll(async () => {
      const data = await page.evaluate(async () => (await (globalThis as unknown as E2EGlobal).__map!.getSource('offers')!.getData()).features.length);
      return data;
    }, WAIT).toBeGreaterThan(0);
    const drawnRegions = Object.keys(await renderedValues(page, 'regions-fill')).concat(
      await page.evaluate(() => (globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: ['regions-nodata'] }).map((f) => f.properties.key as string)));
    expect(drawnRegions.length).toBeGreaterThan(0);
    expect(drawnRegions.every((k) => k.startsWith('01053'))).toBe(true);
    const sourceOffers = await page.evaluate(async () => (await (globalThis as unknown as E2EGlobal).__map!.getSource('offers')!.getData()).features.map((f) => f.properties.id as number));

    // What the Ministry sees of both Kreise: the coordinator's map holds exactly Lauenburg's offers,
    // and Kiel's offers are out of the coordinator's reach: by id forbidden, by Kreis an empty layer.
    const ministry = await browser.newContext();
    await ministry.request.post(`${server.url}/api/auth/login`, { data: { email: 'ministry@demo.local', password: 'demo' } });
    const idsIn = async (kreis: string) => ((await (await ministry.request.get(`${server.url}/api/offers?region=${kreis}`)).json()) as FeatureCollection<Point, { id: number }>).features.map((f) => f.properties.id).sort();
    const [lauenburgIds, kielIds] = [await idsIn(LAUENBURG), await idsIn(KIEL)];
    await ministry.close();
    expect(sourceOffers.sort()).toEqual(lauenburgIds);
    expect(kielIds.length).toBeGreaterThan(0);
    expect(((await (await api.get(`/api/offers?region=${KIEL}`)).json()) as FeatureCollection).features).toEqual([]);
    expect((await api.get(`/api/offers/${kielIds[0]}`)).status()).toBe(403);
    expect((await api.get(`/api/dashboard?level=verband&parent=${KIEL}`)).status()).toBe(403);
    watch.assertClean();
    await context.close();
  });

  it('names the assignee in the inbox: the display name, else the e-mail', { timeout: 120_000 }, async () => {
    // Kiel's coordinator takes Kiel's need (through the API, as the inbox would).
    const kiel = await browser.newContext();
    const login = await kiel.request.post(`${server.url}/api/auth/login`, { data: { email: KIEL_COORDINATOR, password: 'demo' } });
    const { id: kielId, csrf_token: csrf } = (await login.json()) as { id: number; csrf_token: string };
    const needs = (await (await kiel.request.get(`${server.url}/api/needs`)).json()) as FeatureCollection<Point, { id: number; title: string }>;
    expect(needs.features).toHaveLength(1);
    const need = needs.features[0]!.properties;
    const etag = (await kiel.request.get(`${server.url}/api/needs/${need.id}`)).headers().etag!;
    const assign = await kiel.request.post(`${server.url}/api/needs/${need.id}/events`, { data: { kind: 'assign', assigned_to: kielId }, headers: { 'x-csrf-token': csrf, 'if-match': etag } });
    expect(assign.status()).toBe(201);

    const admin = await openAs(browser, server.url, 'admin', '#tab=inbox');
    const card = admin.page.locator('.inbox li').filter({ hasText: need.title });
    await visible(card);
    await card.getByRole('button', { name: /Verlauf und Kommentare/ }).click();
    await containsText(card, 'Zugewiesen an Koordination Kiel.');
    await containsText(card, 'zugewiesen an Koordination Kiel');
    await assertAccessible(admin.page, 'inbox with an assignee');
    await card.getByRole('button', { name: 'Mir zuweisen' }).click();
    await containsText(card, 'Ihnen zugewiesen.');
    await containsText(card, 'zugewiesen an mich');
    admin.watch.assertClean();
    await admin.context.close();
    await kiel.close();

    // The admin account has no display name: Kiel's coordinator sees its e-mail.
    const coord = await openAs(browser, server.url, 'coordinator', '#tab=inbox', KIEL_COORDINATOR);
    const own = coord.page.locator('.inbox li').filter({ hasText: need.title });
    await visible(own);
    await own.getByRole('button', { name: /Verlauf und Kommentare/ }).click();
    await containsText(own, 'Zugewiesen an admin@demo.local.');
    await containsText(own, 'zugewiesen an admin@demo.local');
    await screenshot(coord.page, 'land-inbox-assignee');
    coord.watch.assertClean();
    await coord.context.close();
  });
});

/** HTML labels on the map must not cover each other: at Land scale they are thinned out. */
async function assertNoOverlappingLabels(page: Page): Promise<void> {
  const boxes = await page.locator('.map-label.region-label').evaluateAll((els) => els
    .filter((el) => (el as unknown as { checkVisibility(o: object): boolean }).checkVisibility({ visibilityProperty: true }))
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { text: el.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    }));
  const overlaps: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) overlaps.push(`${a.text} / ${b.text}`);
    }
  }
  expect(overlaps.slice(0, 10)).toEqual([]);
}
