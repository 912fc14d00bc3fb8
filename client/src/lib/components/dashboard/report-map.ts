import type { MultiPolygon, Polygon, Position } from 'geojson';

// The printed report's maps as SVG: regions projected with Web Mercator (like the app's map)
// onto a fixed width, and offers as dots. SVG prints as vectors in every browser, where a WebGL
// canvas often prints blank; no basemap and no tiles are needed. Pure functions, no DOM.

type Area = Polygon | MultiPolygon;

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const mercatorX = (lon: number) => (lon * Math.PI) / 180;

function rings(g: Area): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export interface MapFrame {
  width: number;
  height: number;
  /** SVG path data of an area (even-odd fill keeps holes). */
  path(g: Area): string;
  /** A longitude/latitude in SVG units, or null outside the frame. */
  point(p: Position): [number, number] | null;
}

/**
 * A frame fitting the areas into `width` (plus `pad` on every side), at most `maxHeight` high:
 * a tall region is narrowed instead. Null when there is nothing to frame.
 */
export function frameOf(areas: readonly Area[], width: number, maxHeight: number, pad = 8): MapFrame | null {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of areas) for (const ring of rings(g)) for (const p of ring) {
    const x = mercatorX(p[0]!);
    const y = mercatorY(p[1]!);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (!Number.isFinite(x0) || x1 <= x0 || y1 <= y0) return null;
  const scale = Math.min((width - 2 * pad) / (x1 - x0), (maxHeight - 2 * pad) / (y1 - y0));
  const w = (x1 - x0) * scale + 2 * pad;
  const h = (y1 - y0) * scale + 2 * pad;
  const dx = (width - w) / 2;
  const sx = (lon: number) => dx + pad + (mercatorX(lon) - x0) * scale;
  // SVG's y grows downwards, northing upwards.
  const sy = (lat: number) => pad + (y1 - mercatorY(lat)) * scale;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    width,
    height: Math.ceil(h),
    path: (g) => rings(g).map((ring) => `M${ring.map((p) => `${r(sx(p[0]!))},${r(sy(p[1]!))}`).join('L')}Z`).join(''),
    point: (p) => {
      const x = sx(p[0]!);
      const y = sy(p[1]!);
      return x < 0 || y < 0 || x > width || y > h ? null : [r(x), r(y)];
    },
  };
}

export interface Dot {
  x: number;
  y: number;
  category: string;
  /** Offers drawn at this spot (same category, within one SVG unit). */
  n: number;
}

/**
 * Offers as dots, one per category and SVG unit: offers at (nearly) the same place would be drawn
 * over each other anyway, and the SVG stays small however many offers there are.
 */
export function offerDots(frame: MapFrame, offers: readonly { coordinates: Position; category: string }[]): Dot[] {
  const dots = new Map<string, Dot>();
  for (const o of offers) {
    const xy = frame.point(o.coordinates);
    if (!xy) continue;
    const key = `${o.category}:${Math.round(xy[0])}:${Math.round(xy[1])}`;
    const dot = dots.get(key);
    if (dot) dot.n++;
    else dots.set(key, { x: xy[0], y: xy[1], category: o.category, n: 1 });
  }
  return [...dots.values()];
}
