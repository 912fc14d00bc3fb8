import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi, type Role } from './app-session.ts';

// Open-and-save is the identity: the offer form on an offer with a Träger, an external id and
// barrier-free "unknown", saved without edits, leaves the stored offer as it was.
let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});
const open = (role: Role) => openAs(browser, server.url, role);
const api = (page: Page) => pageApi(page, server.url);

describe('the offer form round trip in Chromium', () => {
  it('saves an unedited offer without changing it: Träger, external id and "unbekannt" survive', { timeout: 90_000 }, async () => {
    const { context, page, watch } = await open('coordinator');
    const { csrf, get } = await api(page);
    const providers = (await (await get('/api/providers')).json()) as { providers: { id: number; name: string }[] };
    const provider = providers.providers[0]!;
    await page.getByRole('tab', { name: 'Angebote' }).click();
    const firstRow = page.locator('#table-offers tbody tr').first();
    const id = Number(await firstRow.getAttribute('data-key'));
    const read = await get(`/api/offers/${id}`);
    const feature = (await read.json()) as { geometry: unknown; properties: Record<string, unknown> };
    const { id: _i, provider_name: _p, region_key: _r, region_name: _n, version: _v, updated_at: _u, ...writable } = feature.properties;
    const put = await page.request.put(`${server.url}/api/offers/${id}`, {
      headers: { 'x-csrf-token': csrf, 'if-match': read.headers().etag! },
      data: { type: 'Feature', geometry: feature.geometry, properties: { ...writable, provider_id: provider.id, external_id: 'E2E-RT-1', barrier_free: null } },
    });
    expect(put.status()).toBe(200);
    const before = (await (await get(`/api/offers/${id}`)).json()) as { properties: Record<string, unknown> };
    expect(before.properties).toMatchObject({ provider_id: provider.id, external_id: 'E2E-RT-1', barrier_free: null });

    await firstRow.locator('th button').click();
    const detail = page.getByRole('complementary', { name: 'Details zur Auswahl' });
    await detail.getByRole('button', { name: 'Bearbeiten' }).click();
    const form = page.locator('form.offer-form');
    await expect.poll(() => form.getByLabel('Träger').inputValue()).toBe(String(provider.id));
    expect(await form.getByLabel('Barrierefrei').inputValue()).toBe('');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await visible(detail.getByRole('button', { name: 'Bearbeiten' }));
    const after = (await (await get(`/api/offers/${id}`)).json()) as { properties: Record<string, unknown> };
    expect(after.properties).toEqual(before.properties);
    watch.assertClean();
    await context.close();
  });
});
