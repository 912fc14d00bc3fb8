import type { Position } from 'geojson';
import { distance, toLonLat, toPlane, type PlanePoint } from './plane.ts';
import type { Gemeinde } from './regions.ts';
import type { Random } from './random.ts';

/**
 * Offer locations: scattered around the village centre (wider in a town), and kept at least
 * MARGIN_KM inside the Gemeinde so that no point sits on a border, where the region an offer
 * belongs to would depend on tie-breaking.
 */
const MARGIN_KM = 0.05;

function inside(p: PlanePoint, ring: readonly PlanePoint[]): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i] as PlanePoint, ring[j] as PlanePoint];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) result = !result;
  }
  return result;
}

function distanceToSegment(p: PlanePoint, a: PlanePoint, b: PlanePoint): number {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
  return distance(p, { x: a.x + t * dx, y: a.y + t * dy });
}

function clearOfBorder(p: PlanePoint, ring: readonly PlanePoint[]): boolean {
  return ring.every((a, i) => i === 0 || distanceToSegment(p, ring[i - 1] as PlanePoint, a) >= MARGIN_KM);
}

export function placeIn(gemeinde: Gemeinde, rng: Random): Position {
  const ring = gemeinde.ring.map(toPlane);
  const spread = 0.25 + 1.1 * Math.sqrt(gemeinde.population / 30_000);
  for (let attempt = 0; attempt < 500; attempt++) {
    const scale = attempt < 100 ? spread : spread / 4;
    const candidate = { x: gemeinde.centre.x + scale * rng.normal(), y: gemeinde.centre.y + scale * rng.normal() };
    const position = toLonLat(candidate);
    // Test the rounded position: that is the one written to the file.
    const written = toPlane(position);
    if (inside(written, ring) && clearOfBorder(written, ring)) return position;
  }
  throw new Error(`no room for an offer in ${gemeinde.name}`);
}
