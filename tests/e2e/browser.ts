import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { openTestDatabase } from '../helpers/test-db.ts';
import { openDatabase, type Database } from '../../server/src/db/index.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../helpers/paths.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { ROOT } from '../helpers/paths.ts';
import { ensureClientBuilt } from '../helpers/client-build.ts';

export { ensureClientBuilt };

// Helpers of the end-to-end tests: the real server, a real headless Chromium (Debian's, never a
// downloaded one), software WebGL for MapLibre, and checks that fail on any page or console error.

export const SCREENSHOTS = resolve(ROOT, 'test-artifacts', 'screenshots');
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
}

/** Page errors and console errors; `allow` names the failed requests a test provokes on purpose. */
export function watchErrors(page: Page): { errors: string[]; allow(status: number, times?: number): void; assertClean(): void } {
  const errors: string[] = [];
  const allowed = new Map<number, number>();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(m.text());
    const n = status ? allowed.get(Number(status[1])) ?? 0 : 0;
    if (status && n > 0) allowed.set(Number(status[1]), n - 1);
    else errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return {
    errors,
    allow(status, times = 1) {
      allowed.set(status, (allowed.get(status) ?? 0) + times);
    },
    assertClean() {
      expect(errors).toEqual([]);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

let axeSource: string | null = null;
const AXE_SOURCE = () => (axeSource ??= readFileSync(resolve(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));

/** Runs axe-core in the page and fails on serious or critical violations. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  // Not addScriptTag: that inserts an inline <script>, which the app's CSP (script-src 'self')
  // rightly blocks. Evaluating through the DevTools protocol is not subject to the page's CSP.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE());
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe, `axe on ${label}`).toEqual([]);
}

// Playwright's web-first assertions belong to its own test runner; these are the few needed,
// polling like them, for vitest.
const WAIT = { timeout: 15_000, interval: 100 };

export async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: WAIT.timeout });
}

export async function containsText(locator: Locator, text: string | RegExp): Promise<void> {
  await expect.poll(async () => (await locator.textContent()) ?? '', WAIT).toMatch(typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text);
}

export async function attribute(locator: Locator, name: string, value: string | RegExp): Promise<void> {
  if (typeof value === 'string') await expect.poll(() => locator.getAttribute(name), WAIT).toBe(value);
  else await expect.poll(async () => (await locator.getAttribute(name)) ?? '', WAIT).toMatch(value);
}

export async function count(locator: Locator, n: number): Promise<void> {
  await expect.poll(() => locator.count(), WAIT).toBe(n);
}

/** A migrated embedded database without the demo district, filled by `prepare`; returns its DATA_DIR. */
async function emptyDataDir(prepare?: (db: Database) => Promise<void>): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ilk-e2e-'));
  const db = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
  try {
    await migrate(db, MIGRATIONS_DIR);
    await prepare?.(db);
  } finally {
    await db.close();
  }
  return dataDir;
}

/**
 * The real server and one Chromium for the whole test file: started in beforeAll, stopped and
 * removed in afterAll; `use` receives both. The database is a private copy of the demo database
 * (`from: 'demo'`, the default) or a migrated one without the demo district (`from: 'empty'`);
 * `prepare` may change or fill it before the server opens it.
 */
export function withAppInBrowser(
  use: (server: ServerProcess, browser: Browser) => void,
  prepare?: (db: Database) => Promise<void>,
  from: 'demo' | 'empty' = 'demo',
): void {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    ensureClientBuilt();
    if (from === 'empty') dataDir = await emptyDataDir(prepare);
    else {
      const t = await openTestDatabase('embedded');
      try {
        await prepare?.(t.db);
      } finally {
        await t.db.close();
      }
      dataDir = t.dataDir!;
    }
    server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    browser = await launchChromium();
    use(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
}
