import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { containsText, visible, withAppInBrowser } from './browser.ts';
import { openAs, pageApi } from './app-session.ts';

// The Verlauf in a real Chromium against the real server on a copy of the demo database: a
// coordinator edits an offer in the form and reads the change in the offer's history; the admin
// filters the whole audit log and finds that change.

const WAIT = { timeout: 15_000, interval: 100 };
let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

describe('history in the app', () => {
  it('shows a coordinator\'s own edit in the offer\'s Verlauf, and the admin finds it in the filtered audit log', { timeout: 120_000 }, async () => {
    const coordinator = await openAs(browser, server.url, 'coordinator');
    const api = await pageApi(coordinator.page, server.url);
    const offers = (await (await api.get('/api/offers?category=sprache')).json()) as { features: { properties: { id: number; name: string } }[] };
    const offer = offers.features[0]!.properties;
    const page = coordinator.page;
    await page.goto(`${server.url}/?e2e#sel=offer:${offer.id}`);
    await visible(page.getByRole('heading', { name: offer.name, level: 2 }));

    await page.getByRole('button', { name: 'Bearbeiten' }).first().click();
    const renamed = `${offer.name} (geprüft)`;
    await page.locator('#offer-name').fill(renamed);
    await page.locator('#offer-opening_hours').fill('Mo–Fr 9–12 Uhr (geprüft)');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await visible(page.getByRole('heading', { name: renamed, level: 2 }));

    const history = page.locator('details[data-history="offer"]');
    await history.locator('summary').click();
    // Newest first: the rename, by the coordinator, from the old name to the new one.
    const newest = history.locator('ol > li').first();
    await containsText(newest, 'geändert');
    await containsText(newest, 'Demo Koordination');
    // The offer may have had opening hours already, so the entry can hold two changes: read the
    // name's own line.
    const nameChange = newest.locator('.changes > li', { has: page.locator('.field', { hasText: /^Name$/ }) });
    await containsText(nameChange.locator('del'), offer.name);
    await containsText(nameChange.locator('ins'), renamed);
    // Each changed field by its label in the interface language (core/src/fields), not its key.
    const fields = newest.locator('.changes .field');
    await expect.poll(() => fields.allTextContents(), WAIT).toEqual(expect.arrayContaining(['Name', 'Öffnungszeiten']));
    expect(await newest.locator('.changes').textContent()).not.toContain('opening_hours');
    expect(await newest.locator('.changes .field', { hasText: 'Öffnungszeiten' }).getAttribute('title')).toBe('opening_hours');
    // In English, the same entry names the English labels.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => fields.allTextContents(), WAIT).toEqual(expect.arrayContaining(['Name', 'Opening hours']));
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect.poll(() => fields.allTextContents(), WAIT).toEqual(expect.arrayContaining(['Öffnungszeiten']));
    coordinator.watch.assertClean();
    await coordinator.context.close();

    const admin = await openAs(browser, server.url, 'admin');
    const a = admin.page;
    await a.getByRole('button', { name: 'Protokoll' }).click();
    await visible(a.getByRole('heading', { name: 'Änderungsprotokoll', level: 1 }));
    await a.getByLabel('Person (E-Mail)').fill('coordinator@demo');
    await a.getByLabel('Datensatzart').selectOption('offer');
    await a.getByLabel('Aktion').selectOption('update');
    await a.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => a.url(), WAIT).toContain('mode=audit');
    const rows = a.locator('.audit-page tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    await containsText(rows.first(), renamed);
    await containsText(rows.first(), 'coordinator@demo.local');
    await containsText(a.locator('.count'), '1 Einträge');
    const csv = await a.locator('a', { hasText: 'Als CSV herunterladen' }).getAttribute('href');
    expect(csv).toContain('/api/audit.csv?');
    expect(csv).toContain('action=update');
    const body = await (await a.request.get(`${server.url}${csv}`)).text();
    expect(body.trim().split(/\r?\n/)).toHaveLength(2);
    expect(body).toContain(`name: ${offer.name} → ${renamed}`);
    admin.watch.assertClean();
    await admin.context.close();
  });
});
