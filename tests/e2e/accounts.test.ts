import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { onTestFailed } from 'vitest';
import { assertAccessible, attribute, containsText, count, screenshot, visible, withAppInBrowser, watchErrors } from './browser.ts';

// People and access without the command line, in a real Chromium against the real server: an
// admin creates a coordinator for the demo Kreis in the app, who then logs in; an analyst
// creates an API token in the app, copies it and the GDAL example from the page, and the real
// GDAL client reads the OGC collections with it until the token is revoked in the app.

const run = promisify(execFile);
const KREIS = '010990000000';

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

/**
 * Logs in on a page of its own (`hash` chooses it): these pages have no map, so the test does
 * not wait for one to draw on a loaded machine.
 */
async function openPage(email: string, password: string, hash: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  const page = await context.newPage();
  const watch = watchErrors(page);
  onTestFailed(async () => {
    await screenshot(page, `failed-accounts-${email}`).catch(() => undefined);
  });
  await page.goto(`${server.url}/?e2e#${hash}`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  return { context, page, watch };
}

/** What the page put on the clipboard (the tests' types know no DOM). */
const clipboard = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());

/** The quoted arguments of the copied `ogrinfo -so "OAPIF:…" --config GDAL_HTTP_HEADERS "…"` line. */
function ogrinfoArgs(example: string): string[] {
  const m = /^ogrinfo -so "(OAPIF:[^"]+)" --config GDAL_HTTP_HEADERS "(Authorization: Bearer [A-Za-z0-9_-]+)"$/.exec(example.trim());
  if (!m) throw new Error(`not the expected example: ${example}`);
  return ['-so', m[1]!, '--config', 'GDAL_HTTP_HEADERS', m[2]!];
}

describe('accounts and API tokens in the app', () => {
  it('lets an admin create a coordinator for the demo Kreis, with the password policy at the field; the coordinator logs in', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openPage('admin@demo.local', 'demo', 'mode=accounts');
    await visible(page.getByRole('heading', { level: 1, name: 'Konten' }));
    await attribute(page.getByRole('button', { name: 'Konten', exact: true }), 'aria-pressed', 'true');
    await visible(page.locator('tr[data-email="coordinator@demo.local"]'));

    await page.getByRole('button', { name: 'Neues Konto' }).click();
    const form = page.locator('form.account-form');
    await form.getByLabel('E-Mail-Adresse').fill('koordination@kreis.example');
    await form.getByLabel('Name', { exact: true }).fill('Kim Koordination');
    await form.getByLabel('Rolle').selectOption('coordinator');
    const kreis = form.getByRole('checkbox', { name: new RegExp(KREIS) });
    if (!(await kreis.isChecked())) await kreis.check();
    // The server's policy, shown at the password field.
    await form.getByLabel('Anfangskennwort').fill('kurz');
    watch.allow(400);
    await form.getByRole('button', { name: 'Konto anlegen' }).click();
    await containsText(page.locator('#acc-new-password-error'), 'Mindestens 10 Zeichen.');
    await assertAccessible(page, 'account form with a field error');

    await form.getByLabel('Anfangskennwort').fill('Ratzeburg-Domsee-2026');
    await form.getByRole('button', { name: 'Konto anlegen' }).click();
    const row = page.locator('tr[data-email="koordination@kreis.example"]');
    await visible(row);
    await containsText(row, 'Koordination');
    await screenshot(page, 'accounts');
    watch.assertClean();
    await context.close();

    // The new coordinator logs in with that password and may edit the demo Kreis.
    const { context: c, page: p, watch: w } = await openPage('koordination@kreis.example', 'Ratzeburg-Domsee-2026', 'mode=tokens');
    await visible(p.getByRole('heading', { level: 1, name: 'API-Token' }));
    const me = await (await p.request.get(`${server.url}/api/auth/me`)).json();
    expect(me).toMatchObject({ email: 'koordination@kreis.example', role: 'coordinator', districts: [KREIS] });
    await visible(p.getByRole('button', { name: 'Kapazitätsmeldungen' }));
    expect(await p.getByRole('button', { name: 'Konten', exact: true }).count()).toBe(0);
    w.assertClean();
    await c.close();
  });

  it('lets an analyst create a token, copy it and the GDAL example, read the OGC collections with ogrinfo, and revoke it', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await openPage('analyst@demo.local', 'demo', 'mode=tokens');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await visible(page.getByRole('heading', { level: 1, name: 'API-Token' }));
    await attribute(page.getByRole('button', { name: 'API-Token', exact: true }), 'aria-pressed', 'true');
    await page.getByLabel('Name des Tokens').fill('QGIS Arbeitsplatz');
    await page.getByRole('button', { name: 'Token erstellen' }).click();
    await visible(page.getByRole('heading', { name: 'Ihr neues Token „QGIS Arbeitsplatz“' }));

    const shown = await page.locator('#tok-secret').inputValue();
    expect(shown).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await page.getByRole('button', { name: 'Kopieren', exact: true }).click();
    await expect.poll(() => clipboard(page)).toBe(shown);
    await page.getByRole('button', { name: 'Beispiel kopieren' }).click();
    await expect.poll(() => clipboard(page)).toContain(shown);
    const example = await clipboard(page);
    await assertAccessible(page, 'token shown once');
    await screenshot(page, 'token-created');

    // The copied example, run as copied (the page's origin is the server's address).
    const args = ogrinfoArgs(example);
    expect(args[1]).toBe(`OAPIF:${server.url}/ogc`);
    const { stdout } = await run('ogrinfo', args);
    expect(stdout).toMatch(/offers/);
    expect(stdout).toMatch(/regions-gemeinde/);
    const row = page.locator('tbody tr', { hasText: 'QGIS Arbeitsplatz' });
    await containsText(row, shown.slice(0, 6));

    await page.getByRole('button', { name: 'Widerrufen: QGIS Arbeitsplatz' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Widerrufen' }).click();
    await visible(page.getByText('Token „QGIS Arbeitsplatz“ widerrufen.'));
    // The list is reloaded after the notice: wait for the row to lose its button.
    await count(page.getByRole('button', { name: 'Widerrufen: QGIS Arbeitsplatz' }), 0);
    await expect(run('ogrinfo', args)).rejects.toThrow(/401/);
    watch.assertClean();
    await context.close();
  });
});
