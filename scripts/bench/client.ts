// The map client in a real headless Chromium against a real server process: time from navigation
// start to the first map `idle` with the offers drawn, for the demo district and for 100,000
// offers (vector tiles above the client's threshold), on both backends, and the JavaScript the
// client ships.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { openDatabase } from '../../server/src/db/index.ts';
import { startServer } from '../../tests/helpers/server-process.ts';
import { ROOT, embeddedDb, ms, onEachBackend, postgresDb, ratio, row, type BenchDb } from './harness.ts';
import { generateOffers } from './layers.ts';

const RUNS = 3;
const CLIENT = join(ROOT, 'client');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the client when client/dist is missing or older than its sources (as the e2e tests do). */
function ensureClientBuilt(): void {
  const built = join(CLIENT, 'dist', 'index.html');
  const sources = [join(CLIENT, 'src'), join(CLIENT, 'index.html'), join(CLIENT, 'vite.config.ts'), join(CLIENT, 'package.json'), join(ROOT, 'core', 'src')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log('  (building the client)');
  execFileSync('npm', ['run', 'build', '--workspace', 'client'], { cwd: ROOT, stdio: 'pipe' });
}

function shippedJsGzip(): { files: number; bytes: number } {
  const dir = join(CLIENT, 'dist', 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
  return { files: files.length, bytes: files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).byteLength, 0) };
}

// Installed before the app's scripts: catches the map when MapView assigns window.__map (only with
// ?e2e) and records performance.now() (ms since navigation start) at the first `idle` after which
// the offers source has the expected type and offers are drawn.
const initScript = (sourceType: string) => `(() => {
  let map;
  Object.defineProperty(window, '__map', { configurable: true, get: () => map, set: (m) => {
    map = m;
    m.on('idle', () => {
      if (window.__benchIdle !== undefined || !m.loaded()) return;
      const source = m.getSource('offers');
      if (!source || source.type !== ${JSON.stringify(sourceType)}) return;
      const layers = ['offers-clusters', 'offers-points'].filter((id) => m.getLayer(id));
      const drawn = m.queryRenderedFeatures({ layers }).length;
      if (drawn === 0) return;
      window.__benchDrawn = drawn;
      window.__benchIdle = performance.now();
    });
  } });
})();`;

async function timeToIdle(browser: Browser, url: string, sourceType: string): Promise<{ ms: number; drawn: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  try {
    await context.addInitScript(initScript(sourceType));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Log in through the form as a user would, then measure a fresh navigation with the session.
    await page.goto(`${url}/?e2e`);
    await page.getByLabel('E-Mail-Adresse').fill('analyst@demo.local');
    await page.getByLabel('Passwort').fill('demo');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForFunction(() => !!(globalThis as { __map?: unknown }).__map, null, { timeout: 60_000, polling: 250 });
    await page.goto(`${url}/?e2e`, { waitUntil: 'commit' });
    try {
      // A function, not a string: the app's CSP forbids eval.
      await page.waitForFunction(() => (globalThis as { __benchIdle?: number }).__benchIdle !== undefined, null, { timeout: Number(process.env.BENCH_CLIENT_TIMEOUT ?? 120_000), polling: 250 });
    } catch (e) {
      const state = await page.evaluate(() => { const m = (globalThis as { __map?: { getSource(id: string): { type: string } | undefined; loaded(): boolean } }).__map; return { map: !!m, source: m?.getSource('offers')?.type, loaded: m?.loaded(), body: (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.slice(0, 200) }; }).catch(() => null);
      await page.screenshot({ path: join(ROOT, 'test-artifacts', `bench-client-${sourceType}.png`) }).catch(() => undefined);
      throw new Error(`map not idle (${JSON.stringify(state)}) with offers (${sourceType}): ${errors.join('; ') || (e as Error).message}`);
    }
    const [idle, drawn] = (await page.evaluate('[window.__benchIdle, window.__benchDrawn]')) as [number, number];
    return { ms: idle, drawn };
  } finally {
    await context.close();
  }
}

/** Median of RUNS page loads, each in a fresh context (no cache), after one warm-up load. */
async function measure(b: BenchDb, sourceType: string): Promise<{ ms: number; drawn: number }> {
  if (b.kind === 'embedded') await b.db.close();
  const server = await startServer({ ...b.env, LOG_LEVEL: 'warn' }, 180_000);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
  try {
    await timeToIdle(browser, server.url, sourceType);
    const runs: { ms: number; drawn: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeToIdle(browser, server.url, sourceType));
    runs.sort((a, c) => a.ms - c.ms);
    return runs[Math.floor(runs.length / 2)]!;
  } finally {
    await browser.close();
    await server.stop();
    if (b.kind === 'embedded') b.db = await openDatabase({ pgliteDir: join(b.env.DATA_DIR!, 'pglite') });
  }
}

export async function benchClient(): Promise<void> {
  console.log('\nMap client: navigation start → first map idle with the offers drawn (headless Chromium, software WebGL)');
  ensureClientBuilt();
  await onEachBackend([embeddedDb, postgresDb], async (b) => {
    const { rows } = await b.db.query<{ n: number }>('SELECT count(*)::int AS n FROM offers');
    const small = await measure(b, 'geojson');
    row(`${b.kind}: demo district, ${rows[0]!.n.toLocaleString('en')} offers (clustered GeoJSON)`, ms(small.ms), `median of ${RUNS}, ${small.drawn} drawn features`);
    await generateOffers(b.db, 100_000);
    const large = await measure(b, 'vector');
    row(`${b.kind}: 100,000 generated offers (vector tiles)`, ms(large.ms), `median of ${RUNS}, ${large.drawn} drawn features`);
    row(`${b.kind}: large / small`, ratio(large.ms / small.ms), 'goal ≤ 1.5');
  });
  const js = shippedJsGzip();
  row(`JavaScript shipped (gzip, ${js.files} files in client/dist/assets)`, `${(js.bytes / 1024).toFixed(1)} KiB`);
}
