// The map client in a real headless Chromium against a real server process: time from the login
// click to the regions drawn and to the offers drawn, for the demo district and with 100,000 more
// offers (vector tiles above the client's threshold), and the needs inbox's time to its first row
// (and how long after its data it came), on both backends; and the JavaScript the client ships.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { openDatabase } from '../../server/src/db/index.ts';
import { startServer } from '../../tests/helpers/server-process.ts';
import { ensureClientBuilt } from '../../tests/helpers/client-build.ts';
import { addGeneratedOffers } from '../../tests/helpers/generated-offers.ts';
import { ROOT, embeddedDb, ms, onEachBackend, postgresDb, ratio, row, type BenchDb } from './harness.ts';

const RUNS = Number(process.env.BENCH_CLIENT_RUNS ?? 3);
/** The built client the server serves: CLIENT_DIST when set (as for the tests), else client/dist. */
const DIST = process.env.CLIENT_DIST ? resolve(process.env.CLIENT_DIST) : join(ROOT, 'client', 'dist');

function shippedJsGzip(): { files: number; bytes: number } {
  const dir = join(DIST, 'assets');
  if (!existsSync(dir)) return { files: 0, bytes: 0 };
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
  return { files: files.length, bytes: files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).byteLength, 0) };
}

// Installed before the app's scripts. Records performance.now() (ms since navigation start) when
// the regions are first drawn, when the offers are first drawn from a source of the expected type
// (at a map idle), and when the needs inbox shows its first row; the test sets __benchLogin at
// the login click.
const initScript = (sourceType: string) => `(() => {
  const b = window.__bench = {};
  let map;
  Object.defineProperty(window, '__map', { configurable: true, get: () => map, set: (m) => {
    map = m;
    const check = () => {
      if (!m.loaded()) return;
      if (b.regions === undefined && m.getLayer('regions-fill') && m.queryRenderedFeatures({ layers: ['regions-fill'] }).length) b.regions = performance.now();
      const source = m.getSource('offers');
      if (b.offers !== undefined || !source || source.type !== ${JSON.stringify(sourceType)}) return;
      const layers = ['offers-clusters', 'offers-points'].filter((id) => m.getLayer(id));
      const drawn = layers.length ? m.queryRenderedFeatures({ layers }).length : 0;
      if (drawn === 0) return;
      b.drawn = drawn;
      b.offers = performance.now();
    };
    m.on('idle', check);
    m.on('render', check);
  } });
  new MutationObserver((_, obs) => {
    if (document.querySelector('.inbox li:not(.empty)')) {
      b.inbox = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Timing {
  /** ms from the login click */
  regions: number;
  offers: number;
  inbox: number;
  /** ms from the needs' response (the inbox's data) to the inbox's first row */
  inboxAfterData: number;
  drawn: number;
}

async function fromLogin(browser: Browser, url: string, sourceType: string): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  try {
    await context.addInitScript(initScript(sourceType));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The inbox tab is open in the link, so it renders as soon as the needs are there.
    await page.goto(`${url}/?e2e#tab=inbox`);
    await page.getByLabel('E-Mail-Adresse').fill('coordinator@demo.local');
    await page.getByLabel('Passwort').fill('demo');
    await page.evaluate(() => ((globalThis as unknown as { __bench: Record<string, number> }).__bench.login = performance.now()));
    await page.getByRole('button', { name: 'Anmelden' }).click();
    try {
      // A function, not a string: the app's CSP forbids eval.
      await page.waitForFunction(() => {
        const b = (globalThis as unknown as { __bench: Record<string, number> }).__bench;
        return b.offers !== undefined && b.regions !== undefined && b.inbox !== undefined;
      }, null, { timeout: Number(process.env.BENCH_CLIENT_TIMEOUT ?? 180_000), polling: 100 });
    } catch (e) {
      const state = await page.evaluate(() => (globalThis as unknown as { __bench: unknown }).__bench).catch(() => null);
      await page.screenshot({ path: join(ROOT, 'test-artifacts', `bench-client-${sourceType}.png`) }).catch(() => undefined);
      throw new Error(`not drawn (${JSON.stringify(state)}) with offers (${sourceType}): ${errors.join('; ') || (e as Error).message}`);
    }
    const b = (await page.evaluate(() => (globalThis as unknown as { __bench: Record<string, number> }).__bench)) as Record<string, number>;
    const needsData = (await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource') as unknown as { name: string; responseEnd: number }[];
      return entries.filter((e) => /\/api\/needs(\?|$)/.test(e.name)).map((e) => e.responseEnd);
    })) as number[];
    const data = needsData.length ? Math.max(...needsData.filter((t) => t <= b.inbox!), 0) : NaN;
    return { regions: b.regions! - b.login!, offers: b.offers! - b.login!, inbox: b.inbox! - b.login!, inboxAfterData: b.inbox! - data, drawn: b.drawn! };
  } finally {
    await context.close();
  }
}

/** Medians of RUNS logins, each in a fresh context (no cache), after one warm-up. */
async function measure(b: BenchDb, sourceType: string): Promise<Timing> {
  if (b.kind === 'embedded') await b.db.close();
  const server = await startServer({ ...b.env, LOG_LEVEL: 'warn', ...(process.env.CLIENT_DIST ? { CLIENT_DIST: DIST } : {}) }, 180_000);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
  try {
    await fromLogin(browser, server.url, sourceType);
    const runs: Timing[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await fromLogin(browser, server.url, sourceType));
    const med = (k: keyof Timing) => runs.map((r) => r[k]).sort((x, y) => x - y)[Math.floor(runs.length / 2)]!;
    return { regions: med('regions'), offers: med('offers'), inbox: med('inbox'), inboxAfterData: med('inboxAfterData'), drawn: med('drawn') };
  } finally {
    await browser.close();
    await server.stop();
    if (b.kind === 'embedded') b.db = await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
  }
}

export async function benchClient(): Promise<void> {
  console.log('\nMap client: login click → regions drawn, offers drawn, needs inbox first row (headless Chromium, software WebGL)');
  ensureClientBuilt();
  await onEachBackend([embeddedDb, postgresDb], async (b) => {
    const { rows } = await b.db.query<{ n: number }>('SELECT count(*)::int AS n FROM offers');
    const show = (label: string, t: Timing) => {
      row(`${b.kind}: ${label}: regions drawn`, ms(t.regions), `median of ${RUNS}`);
      row(`${b.kind}: ${label}: offers drawn`, ms(t.offers), `${(t.offers - t.regions).toFixed(0)} ms after the regions, ${t.drawn} drawn features`);
      row(`${b.kind}: ${label}: inbox first row`, ms(t.inbox), `${t.inboxAfterData.toFixed(0)} ms after the needs arrived`);
    };
    const small = await measure(b, 'geojson');
    show(`demo, ${rows[0]!.n.toLocaleString('en')} offers (GeoJSON)`, small);
    await addGeneratedOffers(b.db, 100_000);
    const large = await measure(b, 'vector');
    show('demo + 100,000 offers (vector tiles)', large);
    row(`${b.kind}: 100,000 / demo: regions drawn`, ratio(large.regions / small.regions));
    row(`${b.kind}: 100,000 / demo: offers drawn`, ratio(large.offers / small.offers), 'goal ≤ 1.5');
    row(`${b.kind}: 100,000 / demo: inbox first row`, ratio(large.inbox / small.inbox));
  });
  const js = shippedJsGzip();
  row(`JavaScript shipped (gzip, ${js.files} files in ${DIST})`, `${(js.bytes / 1024).toFixed(1)} KiB`);
}
