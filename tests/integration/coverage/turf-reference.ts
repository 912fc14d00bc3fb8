import { distance, point } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';

// The independent calculation the coverage is checked against: every offer against every
// Gemeinde label point (no index, no PostGIS), the minimum kept. turf measures great circles on
// a sphere of radius 6,371,008.8 m; PostGIS orders on its sphere and measures with
// ST_DistanceSphere (6,371,008 m), so the two agree to far better than the 0.5 % allowed. The
// allowance covers rounding (0.1 m, label points to 6 decimals) and would catch the classic
// mistake of ranking by degrees, which at 54° N is off by up to 70 %.
export const TOLERANCE = 0.005;

export interface Nearest {
  distance_m: number | null;
  offer_id: number | null;
  /** Distance of the runner-up: when it is within the tolerance, either offer is a right answer. */
  second_m: number | null;
}

export function nearestByTurf(label: [number, number], offers: FeatureCollection<Point>): Nearest {
  let best: { d: number; id: number } | null = null;
  let second: number | null = null;
  const from = point(label);
  for (const o of offers.features as Feature<Point>[]) {
    const d = distance(from, o.geometry.coordinates, { units: 'meters' });
    if (!best || d < best.d) {
      second = best?.d ?? null;
      best = { d, id: Number(o.id) };
    } else if (second === null || d < second) {
      second = d;
    }
  }
  return { distance_m: best?.d ?? null, offer_id: best?.id ?? null, second_m: second };
}

/** |actual - expected| within the tolerance (and 1 m for the rounding of very short distances). */
export function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= TOLERANCE * expected + 1;
}

/** Population-weighted share of Gemeinden features whose `within_<km>km` is 1. */
export function weightedShare(features: { properties: Record<string, unknown> }[], km: number): number | null {
  const pop = features.reduce((s, f) => s + ((f.properties.population as number | null) ?? 0), 0);
  if (pop === 0) return null;
  return features.reduce((s, f) => s + ((f.properties.population as number | null) ?? 0) * (f.properties[`within_${km}km`] as number), 0) / pop;
}
