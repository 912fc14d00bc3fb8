import type { Position } from 'geojson';

/**
 * The district is laid out on a flat kilometre grid and only then turned into longitude and
 * latitude (EPSG:4326). The map is affine, so straight Voronoi edges stay straight and cells that
 * share a vertex in kilometres share it in degrees too. At 54.25° N one degree of longitude is
 * about 65 km and one of latitude about 111 km; exactness does not matter for fictional data.
 */
export const ORIGIN_LON = 10.0;
export const ORIGIN_LAT = 54.25;
const KM_PER_DEG_LON = 65.1;
const KM_PER_DEG_LAT = 111.2;

export interface PlanePoint {
  readonly x: number;
  readonly y: number;
}

/** Six decimals (about 0.1 m) is the precision of every coordinate written. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function toLonLat(p: PlanePoint): Position {
  return [round6(ORIGIN_LON + p.x / KM_PER_DEG_LON), round6(ORIGIN_LAT + p.y / KM_PER_DEG_LAT)];
}

export function toPlane(position: Position): PlanePoint {
  const [lon = 0, lat = 0] = position;
  return { x: (lon - ORIGIN_LON) * KM_PER_DEG_LON, y: (lat - ORIGIN_LAT) * KM_PER_DEG_LAT };
}

export function distance(a: PlanePoint, b: PlanePoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Twice the signed area of a ring (open or closed); positive when counter-clockwise. */
export function signedArea2(ring: readonly Position[]): number {
  // Relative to the first vertex: products of raw degrees (about 10 x 54) would cancel badly.
  const [ox = 0, oy = 0] = ring[0] ?? [];
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1 = 0, y1 = 0] = ring[i] as Position;
    const [x2 = 0, y2 = 0] = ring[(i + 1) % ring.length] as Position;
    sum += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
  }
  return sum;
}
