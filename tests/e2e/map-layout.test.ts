import { describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ServerProcess } from '../helpers/server-process.ts';
import { assertAccessible, screenshot, visible, withAppInBrowser } from './browser.ts';
import { openAs } from './app-session.ts';
import { mapIdle, type E2EGlobal } from './map-page.ts';

// The map's layout, measured in the browser: the legend takes at most a quarter of the map, the
// table drawer resizes by dragging and by keyboard, toasts stay off the legend, region names
// are not covered by cluster or need numbers, needs are drawn above offer clusters, and the
// planning labels do not overlap each other.

let server: ServerProcess;
let browser: Browser;
withAppInBrowser((s, b) => {
  server = s;
  browser = b;
});

type Box = { x: number; y: number; width: number; height: number };
const WAIT = { timeout: 15_000, interval: 100 };
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const area = (b: Box) => b.width * b.height;

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}

/** Boxes of the visible HTML labels with this class, in page pixels. */
async function labelBoxes(page: Page, selector: string): Promise<Box[]> {
  return page.locator(selector).evaluateAll((els) => els
    .filter((e) => (e as unknown as { style: { visibility: string } }).style.visibility !== 'hidden')
    .map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    })
    .filter((r) => r.width > 0));
}

describe('the map layout', () => {
  it('keeps the legend within a quarter of the map, resizes the drawer, keeps toasts off the legend and labels readable', { timeout: 600_000 }, async () => {
    const { context, page, watch } = await openAs(browser, server.url, 'coordinator');
    const canvas = page.locator('canvas.maplibregl-canvas');
    const legend = page.locator('.legend-box');
    await visible(legend);

    // The legend at its fullest (every layer on) and on a small map: at most 25 % of the canvas.
    for (const size of [{ width: 1440, height: 900 }, { width: 1000, height: 620 }]) {
      await page.setViewportSize(size);
      await mapIdle(page);
      const ratio = area(await box(legend)) / area(await box(canvas));
      expect(ratio, `${size.width}x${size.height}`).toBeLessThanOrEqual(0.25);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    // Collapsible: closed, it is only its heading.
    const full = await box(legend);
    await page.locator('.legend-box summary').click();
    await expect.poll(async () => (await box(legend)).height, WAIT).toBeLessThan(full.height / 2);
    await page.locator('.legend-box summary').click();
    await expect.poll(async () => (await box(legend)).height, WAIT).toBe(full.height);

    // The drawer: dragged up by 150 px it grows by 150 px, the map shrinks; the keyboard moves it
    // in steps; the size is kept after a reload.
    const drawer = page.locator('.drawer-wrap');
    const handle = page.getByRole('separator', { name: /Höhe der Tabelle/ });
    await visible(handle);
    const before = await box(drawer);
    const mapBefore = await box(canvas);
    const h = await box(handle);
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2 - 75, { steps: 5 });
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2 - 150, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await box(drawer)).height - before.height), WAIT).toBe(150);
    await expect.poll(async () => Math.round(mapBefore.height - (await box(canvas)).height), WAIT).toBe(150);
    await handle.focus();
    const dragged = (await box(drawer)).height;
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => Math.round((await box(drawer)).height - dragged), WAIT).toBe(48);
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Math.round((await box(drawer)).height - dragged), WAIT).toBe(48 - 120);
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(Math.round(dragged) - 72);
    await page.keyboard.press('End');
    await expect.poll(async () => (await box(drawer)).height, WAIT).toBe(96);
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp');
    const kept = (await box(drawer)).height;
    await page.reload();
    await mapIdle(page);
    await expect.poll(async () => (await box(page.locator('.drawer-wrap'))).height, WAIT).toBe(kept);

    // A toast (a need taken into work from the inbox) sits in the map, off the legend.
    await page.getByRole('tab', { name: 'Bedarfe bearbeiten' }).click();
    await page.getByRole('button', { name: 'In Bearbeitung nehmen' }).first().click();
    const toast = page.locator('.notices .notice').first();
    await visible(toast);
    expect(intersects(await box(toast), await box(legend))).toBe(false);
    expect(await page.locator('.notices:not(.in-map) .notice').count()).toBe(0);
    await screenshot(page, 'map-layout-toast');

    // Needs are drawn above offer clusters; region names lie above cluster and need numbers: at
    // the middle of every visible name, the name itself is the topmost element.
    const order = await page.evaluate(() => {
      const ids = ((globalThis as unknown as E2EGlobal).__map as unknown as { getStyle(): { layers: { id: string }[] } }).getStyle().layers.map((l) => l.id);
      return { clusters: ids.indexOf('offers-clusters'), needs: ids.indexOf('needs-points') };
    });
    expect(order.clusters).toBeGreaterThanOrEqual(0);
    expect(order.needs).toBeGreaterThan(order.clusters);
    for (const zoom of [null, 11.2]) {
      if (zoom) {
        await page.evaluate((z) => {
          const m = (globalThis as unknown as E2EGlobal).__map!;
          const c = m.getCenter();
          m.jumpTo({ center: [c.lng, c.lat], zoom: z });
        }, zoom);
      }
      await mapIdle(page);
      await page.waitForTimeout(400);
      const covered = await page.locator('.maplibregl-marker.region-label').evaluateAll((els) => els
        .filter((e) => (e as unknown as { style: { visibility: string } }).style.visibility !== 'hidden')
        .filter((e) => {
          const r = e.getBoundingClientRect();
          const doc = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): { x: number; y: number; width: number; height: number; left: number; top: number; right: number; bottom: number } } | null; elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } }).document;
          const map = doc.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
          const x = r.x + r.width / 2;
          const y = r.y + r.height / 2;
          if (x < map.left || x > map.right || y < map.top || y > map.bottom) return false;
          const top = doc.elementFromPoint(x, y);
          return !(top === e || e.contains(top)) && !!top?.closest('.maplibregl-marker');
        })
        .map((e) => e.textContent));
      expect(covered, `zoom ${zoom ?? 'district'}`).toEqual([]);
      expect((await labelBoxes(page, '.maplibregl-marker.region-label')).length).toBeGreaterThan(0);
    }

    // Planning: the units' labels (name and value) do not overlap each other.
    await page.getByRole('button', { name: 'Verteilungsplanung' }).click();
    await visible(page.getByRole('heading', { name: 'Verteilungsplanung', level: 2 }));
    await page.getByLabel('Zu verteilende Personen (N)').fill('60');
    await mapIdle(page);
    await expect.poll(() => page.locator('.maplibregl-marker.plan-label').count(), WAIT).toBeGreaterThan(3);
    await page.waitForTimeout(500);
    for (const zoom of [null, 8.6]) {
      if (zoom) {
        await page.evaluate((z) => {
          const m = (globalThis as unknown as E2EGlobal).__map!;
          const c = m.getCenter();
          m.jumpTo({ center: [c.lng, c.lat], zoom: z });
        }, zoom);
        await mapIdle(page);
        await page.waitForTimeout(500);
      }
      const boxes = await labelBoxes(page, '.maplibregl-marker.plan-label');
      expect(boxes.length, `zoom ${zoom ?? 'district'}`).toBeGreaterThan(0);
      const overlaps: [number, number][] = [];
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, j) => {
        if (intersects(a, b)) overlaps.push([i, i + 1 + j]);
      }));
      expect(overlaps, `zoom ${zoom ?? 'district'}`).toEqual([]);
    }
    await screenshot(page, 'map-layout-planning-labels');
    await assertAccessible(page, 'map layout');
    watch.assertClean();
    await context.close();
  });
});
