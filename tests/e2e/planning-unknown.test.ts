import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { containsText, count, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs } from './app-session.ts';

// Units without a capacity report in the planning panel (issue 15, section 2): on the demo
// district with the reports of three units taken away, their capacity is unknown, not 0.
const UNKNOWN = ['010990019000', '010990030000', '010995901000'];

let server: ServerProcess;
let browser: Browser;
withAppInBrowser(
  (s, b) => {
    server = s;
    browser = b;
  },
  async (db) => {
    await db.query("DELETE FROM capacity_reports WHERE region_id IN (SELECT id FROM regions WHERE level = 'verband' AND ars = ANY($1))", [UNKNOWN]);
  },
);

describe('unknown capacities in the planning panel in Chromium', () => {
  it('names the units without report, shows the legal key beside the infeasible suggestion, and plans with unknown counted as unlimited', { timeout: 150_000 }, async () => {
    const { page, watch, context } = await openAs(browser, server.url, 'coordinator', '#mode=plan&n=400');
    const panel = page.locator('section.unknown-cap');
    await visible(panel);
    await containsText(panel, '3 von 14 Einheiten haben noch nie Kapazitäten gemeldet');
    await count(panel.locator('li.unknown'), 3);
    await containsText(page.getByRole('status').filter({ hasText: 'Keine zulässige Verteilung' }), 'Der gesetzliche Schlüssel für 400 Personen gilt dennoch');
    await visible(page.locator('#table-legal-key'));
    await containsText(page.locator('#table-legal-key tfoot [data-sum="legal"]'), /^400$/);
    await containsText(page.getByRole('alert').filter({ hasText: 'Keine zulässige Verteilung' }), 'Keine Kapazitätsmeldung (als 0 gezählt)');
    await screenshot(page, 'planning-unknown-infeasible');

    await page.getByLabel('als unbegrenzt (keine Obergrenze durch Wohnraum)').check();
    await containsText(page.getByRole('status').filter({ hasText: 'Personen verteilt' }), '400 von 400 Personen verteilt');
    await containsText(page.locator('#table-allocation tbody'), 'keine Meldung');
    await count(page.locator('#table-legal-key'), 0);
    await screenshot(page, 'planning-unknown-unlimited');

    await panel.getByRole('button', { name: 'Kapazitäten erfassen' }).click();
    // The grid opens at once; the URL follows after the view's short write delay.
    await visible(page.getByRole('heading', { name: /Kapazitätsmeldungen aller Ämter/, level: 1 }));
    await expect.poll(() => page.url(), { timeout: 15_000, interval: 100 }).toContain('mode=capacities');
    watch.assertClean();
    await context.close();
  });
});
