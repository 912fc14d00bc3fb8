import type { LngLatBoundsLike, Map as MapLibreMap, PaddingOptions } from 'maplibre-gl';

// Framing a region so that all of it is seen: the legend box and the zoom buttons lie over the
// map canvas, so fitBounds with a uniform padding puts the region's edge under them. Each panel
// can be cleared sideways or downwards (a tall legend beside the region, a wide one above it);
// every combination is tried and the one that lets the region be drawn largest wins.

const GAP = 12;
/** Panels over the canvas: the map's legend box and MapLibre's control groups. */
const PANELS = '.legend-box, .maplibregl-ctrl-top-left .maplibregl-ctrl-group, .maplibregl-ctrl-top-right .maplibregl-ctrl-group';

type Pad = { top: number; right: number; bottom: number; left: number };
type Side = keyof Pad;

/** For each visible panel over the canvas, the two paddings that would clear it. */
function panelOptions(map: MapLibreMap): Partial<Pad>[][] {
  const canvas = map.getContainer().getBoundingClientRect();
  const root = map.getContainer().closest('.map-wrap') ?? map.getContainer();
  const options: Partial<Pad>[][] = [];
  for (const el of root.querySelectorAll(PANELS)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const left = r.left - canvas.left, top = r.top - canvas.top, right = canvas.right - r.right, bottom = canvas.bottom - r.bottom;
    if (left >= canvas.width || top >= canvas.height || right >= canvas.width || bottom >= canvas.height) continue;
    const horizontal: Side = left < right ? 'left' : 'right';
    const vertical: Side = top < bottom ? 'top' : 'bottom';
    options.push([
      { [horizontal]: (horizontal === 'left' ? r.right - canvas.left : canvas.right - r.left) + GAP },
      { [vertical]: (vertical === 'top' ? r.bottom - canvas.top : canvas.bottom - r.top) + GAP },
    ]);
  }
  return options;
}

/** The padding that clears every panel and lets the bounds be drawn largest. */
export function framePadding(map: MapLibreMap, bounds: LngLatBoundsLike, base = 24, maxZoom = 12): PaddingOptions {
  let best: { padding: Pad; zoom: number } | null = null;
  const combine = (i: number, acc: Pad, options: Partial<Pad>[][]): void => {
    if (i === options.length) {
      const zoom = map.cameraForBounds(bounds, { padding: acc, maxZoom })?.zoom;
      if (zoom !== undefined && (!best || zoom > best.zoom)) best = { padding: acc, zoom };
      return;
    }
    for (const o of options[i]!) {
      const next = { ...acc };
      for (const [side, v] of Object.entries(o) as [Side, number][]) next[side] = Math.max(next[side], v);
      combine(i + 1, next, options);
    }
  };
  const start: Pad = { top: base, right: base, bottom: base, left: base };
  combine(0, start, panelOptions(map));
  return (best as { padding: Pad } | null)?.padding ?? start;
}

/**
 * Fits the map to the bounds, clear of the panels, and keeps them framed while the canvas or a
 * panel changes size (the drawer's tables and the legend arrive after the first fit) until the
 * user moves the map. Returns the function that stops following.
 */
export function frameBounds(map: MapLibreMap, bounds: LngLatBoundsLike, maxZoom = 12): () => void {
  const fit = (duration: number) => map.fitBounds(bounds, { padding: framePadding(map, bounds, 24, maxZoom), maxZoom, duration });
  fit(500);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => fit(0), 50);
  });
  observer.observe(map.getContainer());
  const root = map.getContainer().closest('.map-wrap');
  if (root) {
    observer.observe(root);
    for (const el of root.querySelectorAll('.legend-box')) observer.observe(el);
  }
  // A move the user started (drag, wheel, buttons) carries its DOM event: from then on the
  // camera is theirs.
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
    map.off('movestart', onMove);
  };
  const onMove = (e: { originalEvent?: unknown }) => {
    if (e.originalEvent) stop();
  };
  map.on('movestart', onMove);
  return stop;
}
