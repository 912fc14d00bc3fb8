import { onTestFailed } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshot, watchErrors } from './browser.ts';
import { mapIdle } from './map-page.ts';

// Logging in as a demo account in a fresh browser context (own cookies and storage), and the API
// as that page's session sees it. Shared by the end-to-end test files.

export type Role = 'admin' | 'coordinator' | 'ministry' | 'analyst' | 'partner';

export interface AppSession {
  context: BrowserContext;
  page: Page;
  watch: ReturnType<typeof watchErrors>;
}

/**
 * Opens the app (`hash` chooses the view) and logs in as the role's demo account, or as `email`
 * (password "demo"); waits for the map unless the role has none.
 */
export async function openAs(browser: Browser, serverUrl: string, role: Role, hash = '', email = `${role}@demo.local`): Promise<AppSession> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
  const page = await context.newPage();
  const watch = watchErrors(page);
  onTestFailed(async () => {
    await screenshot(page, `failed-${role}`).catch(() => undefined);
  });
  await page.goto(`${serverUrl}/?e2e${hash}`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill('demo');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (role !== 'partner') await mapIdle(page);
  return { context, page, watch };
}

/** The API as the page's session sees it (same cookies), with the CSRF token for writes. */
export async function pageApi(page: Page, serverUrl: string) {
  const me = (await (await page.request.get(`${serverUrl}/api/auth/me`)).json()) as { csrf_token: string };
  return {
    csrf: me.csrf_token,
    get: (path: string) => page.request.get(`${serverUrl}${path}`),
    post: (path: string, data?: unknown, headers: Record<string, string> = {}) =>
      page.request.post(`${serverUrl}${path}`, { data, headers: { 'x-csrf-token': me.csrf_token, ...headers } }),
  };
}
