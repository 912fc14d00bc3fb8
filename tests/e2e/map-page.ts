import type { Page } from 'playwright-core';

// What the tests read from the MapLibre map that the app exposes as window.__map when the page
// is opened with ?e2e. Functions passed to page.evaluate run in the browser and must be
// self-contained, so each casts globalThis itself.

interface RenderedFeature {
  layer: { id: string };
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

export interface E2EMap {
  loaded(): boolean;
  areTilesLoaded(): boolean;
  isMoving(): boolean;
  getSource(id: string): { type: string; getData(): Promise<{ features: { properties: Record<string, unknown> }[] }> } | undefined;
  getZoom(): number;
  jumpTo(options: { center: [number, number]; zoom: number }): void;
  project(lngLat: [number, number]): { x: number; y: number };
  getCanvas(): { clientWidth: number; clientHeight: number };
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  getBounds(): { toArray(): [[number, number], [number, number]] };
  getFilter(id: string): unknown;
  queryRenderedFeatures(geometry?: unknown, options?: { layers: string[] }): RenderedFeature[];
}

export type E2EGlobal = { __map?: E2EMap };

/** Waits until the map has drawn everything it has been given. */
export async function mapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const m = (globalThis as unknown as E2EGlobal).__map;
    return !!m && !!m.getSource('offers') && m.loaded() && m.areTilesLoaded() && !m.isMoving();
  }, null, { timeout: 20_000, polling: 100 });
  // One more frame, so the last setData has been rendered.
  await page.waitForTimeout(250);
}

export async function renderedCount(page: Page, layer: string): Promise<number> {
  return page.evaluate((id) => (globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: [id] }).length, layer);
}

/** Offers drawn on the map: single points plus the offers inside drawn clusters. */
export async function renderedOffers(page: Page): Promise<{ total: number; pointCategories: string[] }> {
  return page.evaluate(() => {
    const m = (globalThis as unknown as E2EGlobal).__map!;
    const clusters = new Map<unknown, number>();
    for (const f of m.queryRenderedFeatures(undefined, { layers: ['offers-clusters'] })) clusters.set(f.properties.cluster_id, f.properties.point_count as number);
    const points = new Map<unknown, string>();
    for (const f of m.queryRenderedFeatures(undefined, { layers: ['offers-points'] })) points.set(f.properties.id, f.properties.category as string);
    return { total: [...clusters.values()].reduce((a, b) => a + b, 0) + points.size, pointCategories: [...new Set(points.values())] };
  });
}

/** The categories of the offers the map's source holds (the data behind clusters and points). */
export async function sourceCategories(page: Page): Promise<{ count: number; categories: string[] }> {
  return page.evaluate(async () => {
    const data = await (globalThis as unknown as E2EGlobal).__map!.getSource('offers')!.getData();
    return { count: data.features.length, categories: [...new Set(data.features.map((f) => f.properties.category as string))] };
  });
}

/**
 * A pixel of the canvas where only a region is hit, with no symbol within 18 px, so that a
 * click there means that region. Scans the middle of the map (the legend covers the top left).
 */
export async function regionPixel(page: Page): Promise<{ x: number; y: number; key: string; name: string }> {
  const found = await page.evaluate(() => {
    const m = (globalThis as unknown as E2EGlobal).__map!;
    const { clientWidth: w, clientHeight: h } = m.getCanvas();
    const symbols = ['offers-points', 'offers-clusters', 'needs-points'];
    for (let y = Math.round(h * 0.35); y < h * 0.85; y += 10) {
      for (let x = Math.round(w * 0.45); x < w * 0.9; x += 10) {
        const hit = m.queryRenderedFeatures([x, y], { layers: ['regions-fill'] });
        if (hit.length !== 1) continue;
        if (m.queryRenderedFeatures([[x - 18, y - 18], [x + 18, y + 18]], { layers: symbols }).length) continue;
        return { x, y, key: hit[0]!.properties.key as string, name: hit[0]!.properties.name as string };
      }
    }
    return null;
  });
  if (!found) throw new Error('no free pixel on a region');
  return found;
}

/** A pixel of the canvas where `layer` draws the feature with this key, clear of the legend (top left). */
export async function pixelOf(page: Page, layer: string, key: string): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(([id, k]) => {
    const m = (globalThis as unknown as E2EGlobal).__map!;
    const { clientWidth: w, clientHeight: h } = m.getCanvas();
    for (let y = Math.round(h * 0.1); y < h * 0.9; y += 6) {
      for (let x = Math.round(w * 0.3); x < w * 0.95; x += 6) {
        const hit = m.queryRenderedFeatures([x, y], { layers: [id!] });
        if (hit.length === 1 && hit[0]!.properties.key === k) return { x, y };
      }
    }
    return null;
  }, [layer, key]);
  if (!found) throw new Error(`${key} is not drawn in ${layer}`);
  return found;
}

/** Clicks the map canvas at a pixel given in canvas coordinates. */
export async function clickMap(page: Page, x: number, y: number): Promise<void> {
  const box = await page.locator('canvas.maplibregl-canvas').boundingBox();
  if (!box) throw new Error('map canvas not visible');
  await page.mouse.click(box.x + x, box.y + y);
}

/** The value (`_v`) each drawn feature of a region layer carries, by region key; features cut by tiles count once. */
export async function renderedValues(page: Page, layer: string): Promise<Record<string, number>> {
  return page.evaluate((id) => {
    const values: Record<string, number> = {};
    for (const f of (globalThis as unknown as E2EGlobal).__map!.queryRenderedFeatures(undefined, { layers: [id] })) {
      values[f.properties.key as string] = f.properties._v as number;
    }
    return values;
  }, layer);
}
