// The map client in a real headless Chromium against a real server process: time from the login
// click to the regions drawn and to the offers drawn, for the demo district and with 100,000 more
// offers (vector tiles above the client's threshold), and the needs inbox's time to its first row
// (and how long after its data it came), on both backends; and the JavaScript the client ships.
// The two databases are served at once and logged into in turn, so the ratios are side by side.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { openDatabase } from '../../server/src/db/index.ts';
import { startServer, type ServerProcess } from '../../tests/helpers/server-process.ts';
import { ensureClientBuilt } from '../../tests/helpers/client-build.ts';
import { addGeneratedOffers } from '../../tests/helpers/generated-offers.ts';
import { ROOT, embeddedDb, ms, onEachBackend, postgresDb, ratio, row, type BenchDb } from './harness.ts';

const RUNS = Number(process.env.BENCH_CLIENT_RUNS ?? 5);
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
// with every tile of the view loaded, and when the needs inbox shows its first row; the bench sets
// __benchLogin at the login click. Each layer is judged by its own source (isSourceLoaded), not
// by map.loaded(), which waits for every source: the regions would then only count once the offers
// had loaded too.
const initScript = (sourceType: string) => `(() => {
  const b = window.__bench = {};
  let map;
  Object.defineProperty(window, '__map', { configurable: true, get: () => map, set: (m) => {
    map = m;
    const loaded = (id) => !!m.getSource(id) && m.isSourceLoaded(id);
    const check = () => {
      if (b.regions === undefined && m.getLayer('regions-fill') && loaded('regions') && m.queryRenderedFeatures({ layers: ['regions-fill'] }).length) b.regions = performance.now();
      const source = m.getSource('offers');
      if (b.offers === undefined && source && source.type === ${JSON.stringify(sourceType)} && loaded('offers')) {
        const layers = ['offers-clusters', 'offers-points'].filter((id) => m.getLayer(id));
        const drawn = layers.length ? m.queryRenderedFeatures({ layers }).length : 0;
        if (drawn > 0) {
          b.drawn = drawn;
          b.offers = performance.now();
        }
      }
      if (b.regions !== undefined && b.offers !== undefined) {
        m.off('idle', check);
        m.off('render', check);
      }
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

const KEYS = ['regions', 'offers', 'inbox'] as const;
type Key = (typeof KEYS)[number];

interface Timing extends Record<Key, number> {
  /** ms from the needs' response (the inbox's data) to the inbox's first row */
  inboxAfterData: number;
  /** features (clusters and points) drawn when the offers counted as drawn */
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
    if (errors.length) throw new Error(`page errors with offers (${sourceType}): ${errors.join('; ')}`);
    const b = (await page.evaluate(() => (globalThis as unknown as { __bench: Record<string, number> }).__bench)) as Record<string, number>;
    const needsData = (await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource') as unknown as { name: string; responseEnd: number }[];
      return entries.filter((e) => /\/api\/needs(\?|$)/.test(e.name)).map((e) => e.responseEnd);
    })) as number[];
    const before = needsData.filter((t) => t <= b.inbox!);
    const data = before.length ? Math.max(...before) : Number.NaN;
    return { regions: b.regions! - b.login!, offers: b.offers! - b.login!, inbox: b.inbox! - b.login!, inboxAfterData: b.inbox! - data, drawn: b.drawn! };
  } finally {
    await context.close();
  }
}

const mid = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
const medianOf = (runs: Timing[]): Timing => ({
  regions: mid(runs.map((r) => r.regions)), offers: mid(runs.map((r) => r.offers)), inbox: mid(runs.map((r) => r.inbox)),
  inboxAfterData: mid(runs.map((r) => r.inboxAfterData)), drawn: mid(runs.map((r) => r.drawn)),
});

/** The demo district, and a copy of it with 100,000 more offers, each served by its own server at once. */
interface Pair {
  kind: BenchDb['kind'];
  small: BenchDb;
  large: BenchDb;
  dispose(): Promise<void>;
}

const pairOf = (make: (second: boolean) => Promise<BenchDb | null>) => async (): Promise<Pair | null> => {
  const small = await make(false);
  if (!small) return null;
  const large = await make(true);
  if (!large) {
    await small.dispose();
    return null;
  }
  await addGeneratedOffers(large.db, 100_000);
  return { kind: small.kind, small, large, dispose: async () => { await small.dispose(); await large.dispose(); } };
};

async function serve(b: BenchDb): Promise<ServerProcess> {
  // The embedded database is one process's: the server gets it, the bench reopens it afterwards.
  if (b.kind === 'embedded') await b.db.close();
  return startServer({ ...b.env, LOG_LEVEL: 'warn', ...(process.env.CLIENT_DIST ? { CLIENT_DIST: DIST } : {}) }, 180_000);
}

/**
 * RUNS logins on each side, alternating demo and demo + 100,000 in one browser (each login in a
 * fresh context, so nothing is cached), after one warm-up each, so that load from elsewhere falls
 * on both sides; the ratio is the median of the per-round ratios.
 */
async function sideBySide(p: Pair): Promise<{ small: Timing; large: Timing; ratio: Record<Key, number> }> {
  const servers: ServerProcess[] = [];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
  try {
    servers.push(await serve(p.small), await serve(p.large));
    const [small, large] = servers as [ServerProcess, ServerProcess];
    await fromLogin(browser, small.url, 'geojson');
    await fromLogin(browser, large.url, 'vector');
    const s: Timing[] = [];
    const l: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      s.push(await fromLogin(browser, small.url, 'geojson'));
      l.push(await fromLogin(browser, large.url, 'vector'));
    }
    const ratio = Object.fromEntries(KEYS.map((k) => [k, mid(s.map((t, i) => l[i]![k] / t[k]))])) as Record<Key, number>;
    return { small: medianOf(s), large: medianOf(l), ratio };
  } finally {
    await browser.close();
    for (const s of servers) await s.stop();
    for (const b of [p.small, p.large]) if (b.kind === 'embedded') b.db = await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
  }
}

export async function benchClient(): Promise<void> {
  console.log('\nMap client: login click → regions drawn, offers drawn, needs inbox first row (headless Chromium, software WebGL)');
  ensureClientBuilt();
  const embedded = pairOf(() => embeddedDb());
  const postgres = pairOf((second) => postgresDb(`ilk_bench_${process.pid}${second ? '_large' : ''}`));
  await onEachBackend([embedded, postgres], async (p) => {
    const { rows } = await p.small.db.query<{ n: number }>('SELECT count(*)::int AS n FROM offers');
    const { small, large, ratio: r } = await sideBySide(p);
    const show = (label: string, t: Timing) => {
      row(`${p.kind}: ${label}: regions drawn`, ms(t.regions), `median of ${RUNS}`);
      const d = Math.round(t.offers - t.regions);
      row(`${p.kind}: ${label}: offers drawn`, ms(t.offers), `${Math.abs(d)} ms ${d >= 0 ? 'after' : 'before'} the regions (medians), ${t.drawn} features drawn`);
      row(`${p.kind}: ${label}: inbox first row`, ms(t.inbox), `${t.inboxAfterData.toFixed(0)} ms after the needs arrived`);
    };
    show(`demo, ${rows[0]!.n.toLocaleString('en')} offers (GeoJSON)`, small);
    show('demo + 100,000 offers (vector tiles)', large);
    row(`${p.kind}: 100,000 / demo: regions drawn`, ratio(r.regions), `median of ${RUNS} alternating pairs`);
    row(`${p.kind}: 100,000 / demo: offers drawn`, ratio(r.offers), 'goal ≤ 1.5');
    row(`${p.kind}: 100,000 / demo: inbox first row`, ratio(r.inbox));
  });
  const js = shippedJsGzip();
  row(`JavaScript shipped (gzip, ${js.files} files in ${DIST})`, `${(js.bytes / 1024).toFixed(1)} KiB`);
}
