import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import type { Database } from '../../server/src/db/index.ts';
import { importOfficial } from '../../server/src/import/import-official.ts';
import { addUser } from '../../server/src/seed/accounts.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// The Ministry's printable report in a real Chromium, printed to PDF: on the demo district and
// on the real Kreis Herzogtum Lauenburg (official open data from ../shared). The pages' content
// is read from the DOM the PDF was printed from; the page count from the PDF's bytes.

const WAIT = { timeout: 30_000, interval: 200 };
// Importing a real Kreis and starting two servers on a shared, loaded machine takes its time.
vi.setConfig({ hookTimeout: 600_000 });
const de = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const dateDe = (iso: string) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const LAUENBURG = '010530000000';

type Stats = { count: number; places_total: number; places_free: number };
interface Row { key: string; name: string; population: number | null; open_needs: number; offers: Record<string, Stats> }
type Sums = { units: number } & Record<(typeof CAPACITY_FIELDS)[number], number>;
interface Changes { report_date: string | null; previous_date: string | null; units_total: number; current: Sums; before: Sums; after: Sums }

async function json<T>(page: Page, url: string, path: string): Promise<T> {
  const res = await (await pageApi(page, url)).get(path);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

/** Pages in a PDF: its /Type /Page objects (not the /Pages tree). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;

/**
 * Opens the report of `parent` (null: the top) as the Ministry, checks every figure of the
 * summary against the API, the maps' regions and dots, the tables, and prints it to PDF.
 */
async function checkReport(browser: Browser, server: ServerProcess, parent: string | null, expected: { title: string; minOffers: number }) {
  const hash = `#mode=dashboard&dtab=report${parent ? `&dparent=${parent}` : ''}`;
  const { context, page, watch } = await openAs(browser, server.url, 'ministry', hash);
  const get = <T>(path: string) => json<T>(page, server.url, path);
  await visible(page.getByRole('heading', { level: 2, name: `Angebotsstruktur und Versorgung: ${expected.title}`, exact: true }));
  await page.locator('article.report[aria-busy="false"]').waitFor({ timeout: WAIT.timeout });

  const meta = await get<{ categories: { key: string; label_de: string }[] }>('/api/meta');
  const scope = parent ?? (await get<{ rows: Row[] }>('/api/dashboard?level=kreis')).rows[0]!.key;
  const row = (await get<{ rows: Row[] }>(`/api/dashboard?level=kreis&parent=${scope}`)).rows[0]!;
  const changes = await get<Changes>(`/api/dashboard/report${parent ? `?parent=${parent}` : ''}`);
  const figure = (name: string) => page.locator(`#rep-figures tr[data-figure="${name}"] td`).first().textContent();

  // Key figures: the API's, formatted.
  expect(await figure('population')).toBe(row.population === null ? '–' : de.format(row.population));
  const offers = Object.values(row.offers).reduce((s, o) => s + o.count, 0);
  expect(offers).toBeGreaterThanOrEqual(expected.minOffers);
  expect(await figure('offers')).toBe(de.format(offers));
  for (const c of meta.categories) {
    const o = row.offers[c.key] ?? { count: 0, places_total: 0, places_free: 0 };
    expect(await figure(`offers-${c.key}`)).toBe(`${de.format(o.count)} Angebote · ${de.format(o.places_total)} Plätze, davon ${de.format(o.places_free)} frei`);
  }
  expect(await figure('open_needs')).toBe(de.format(row.open_needs));
  expect(changes.report_date).not.toBeNull();
  expect(await figure('units')).toMatch(new RegExp(`^${changes.current.units} von ${changes.units_total}`));
  for (const f of CAPACITY_FIELDS) expect(await figure(f)).toBe(de.format(changes.current[f]));
  // The current capacities are every unit's latest report: the sum of the Verbände's own snapshots.
  const units = await get<{ features: { properties: { capacity: Record<string, number> | null } }[] }>(`/api/regions?level=verband&parent=${scope}`);
  expect(changes.current.refugees_housed).toBe(units.features.reduce((s, f) => s + (f.properties.capacity?.refugees_housed ?? 0), 0));
  expect(changes.current.housing_free).toBe(units.features.reduce((s, f) => s + (f.properties.capacity?.housing_free ?? 0), 0));

  // Changes since the previous reporting date, with the definition on the page.
  expect(changes.previous_date).not.toBeNull();
  await visible(page.getByText(`vorheriger Stichtag das Meldedatum davor (${dateDe(changes.previous_date!)})`, { exact: false }));
  for (const f of CAPACITY_FIELDS) {
    const cells = await page.locator(`#rep-change-table tr[data-figure="${f}"] td`).allTextContents();
    const d = changes.after[f] - changes.before[f];
    expect(cells).toEqual([de.format(changes.before[f]), de.format(changes.after[f]), d > 0 ? `+${de.format(d)}` : de.format(d)]);
  }

  // White spots per category: the API's count for the same scope and distance.
  for (const c of meta.categories) {
    const spots = await get<{ features: unknown[] }>(`/api/coverage/white-spots?category=${c.key}&threshold_km=10${parent ? `&parent=${parent}` : ''}`);
    expect(await page.locator(`#rep-whitespots tr[data-category="${c.key}"] [data-col="count"]`).textContent()).toBe(de.format(spots.features.length));
  }

  // The map: one path per Amt or amtsfreie Gemeinde of the Kreis, coloured in more than one way, and the offers as dots.
  const map = page.locator(`figure.map-page[data-key="${scope}"] svg.report-map`);
  await count(map.locator('path[data-key]'), units.features.length);
  const fills = await map.locator('path[data-key]').evaluateAll((ps) => new Set(ps.map((p) => p.getAttribute('fill'))).size);
  expect(fills).toBeGreaterThan(1);
  const dots = await map.locator('circle').count();
  expect(dots).toBeGreaterThan(0);
  expect(dots).toBeLessThanOrEqual(offers);

  // The tables: the Kreis (at the top) and its Verbände, each with a row per category.
  const regions = (parent ? 0 : 1) + units.features.length;
  await count(page.locator('#table-report tbody[data-key]'), regions);
  await count(page.locator('#table-report tbody tr'), regions * meta.categories.length);
  await assertAccessible(page, `report ${expected.title}`);

  // Printed: the summary, the map and the tables each start a page.
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.map-wrap').isVisible()).toBe(false);
  expect(await map.isVisible()).toBe(true);
  await screenshot(page, `report-print-${scope}`);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = pdfPages(pdf);
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(pages).toBeLessThanOrEqual(12);
  // Where the page breaks fall: the map and the table start on a page of their own.
  const breaks = await page.evaluate(() => {
    const g = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> }; getComputedStyle(e: unknown): { breakBefore: string } };
    return Array.from(g.document.querySelectorAll('figure.map-page, section.tables')).map((e) => g.getComputedStyle(e).breakBefore);
  });
  expect(breaks.every((b) => b === 'page')).toBe(true);
  watch.assertClean();
  await context.close();
  return { pages, bytes: pdf.length };
}

describe('the Ministry report of the demo district, printed', () => {
  let server: ServerProcess;
  let browser: Browser;
  withAppInBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it('prints the summary, a map of the Ämter with offers and the tables, titled by the Kreis', { timeout: 180_000 }, async () => {
    const { pages } = await checkReport(browser, server, null, { title: 'Kreis Demo-Förde', minOffers: 100 });
    console.info(`demo report: ${pages} PDF pages`);
  });
});

// Herzogtum Lauenburg alone, with offers at random points of its Gemeinden, open needs, and
// capacity reports of eight of its units on two dates (two more report only on the later one).
const OFFERS = `
  INSERT INTO offers (category_key, name, places_total, places_free, geom)
  SELECT (SELECT array_agg(key ORDER BY sort_order) FROM offer_categories)[1 + i % 8], 'Angebot ' || i, 10 + i % 15, (i / 8) % 4,
         coalesce((SELECT (ST_Dump(ST_GeneratePoints(g.geom, 1, i + 1))).geom), g.label_point)
    FROM generate_series(0, 119) i
    JOIN LATERAL (SELECT geom, label_point FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY ars OFFSET (i * 13) % 100 LIMIT 1) g ON true`;
const CAPACITY = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places,
                                kita_free, school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd)
  SELECT v.id, d.day, 10 + v.n * 3 + d.k, 1, 5, 3 + d.k, 4, 6, 2, 40 + v.n * 7 + 5 * d.k, 5 * d.k
    FROM (SELECT id, row_number() OVER (ORDER BY ars) AS n FROM regions WHERE level = 'verband') v
   CROSS JOIN (VALUES (DATE '2026-06-30', 0), (DATE '2026-09-30', 1)) d(day, k)
   WHERE v.n <= 8 OR (v.n <= 10 AND d.k = 1)`;
const NEEDS = `
  INSERT INTO needs (region_id, category_key, kind, title, priority)
  SELECT id, 'sprache', 'angebotsluecke', 'Sprachkurs fehlt in ' || name, 'hoch'
    FROM regions WHERE level = 'gemeinde' AND population > 0 ORDER BY ars LIMIT 3`;

async function prepareLauenburg(db: Database): Promise<void> {
  const vg = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
  await importOfficial(db, {
    scope: { level: 'kreis', key: '01053' }, boundaries: join(vg, 'VG5000_GEM.shp'), verbaende: join(vg, 'VG5000_VWG.shp'),
    population: join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv'),
  });
  await db.exec(`${OFFERS}; ${CAPACITY}; ${NEEDS}; ANALYZE`);
  await addUser(db, { email: 'ministry@demo.local', password: 'demo', role: 'ministry' }, false);
}

describe('the Ministry report of Kreis Herzogtum Lauenburg (official data), printed', () => {
  let server: ServerProcess;
  let browser: Browser;
  withAppInBrowser((s, b) => {
    server = s;
    browser = b;
  }, prepareLauenburg, 'empty');

  it('prints the report titled "Herzogtum Lauenburg", never "Alle Kreise", with a map of its Ämter', { timeout: 180_000 }, async () => {
    const top = await checkReport(browser, server, null, { title: 'Herzogtum Lauenburg', minOffers: 120 });
    // Drilled into the Kreis, the same report.
    const drilled = await checkReport(browser, server, LAUENBURG, { title: 'Herzogtum Lauenburg', minOffers: 120 });
    expect(drilled.pages).toBe(top.pages);
    console.info(`Herzogtum Lauenburg report: ${top.pages} PDF pages, ${top.bytes} bytes`);
  });
});
