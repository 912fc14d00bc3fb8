import { area, bbox, booleanValid, featureCollection, intersect, kinks } from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import { signedArea2 } from './plane.ts';

/**
 * Independent checks of the finished regions with turf's own algorithms, so that a bug in the
 * topological construction cannot hide behind itself. Throws on the first violation.
 */
type RegionFeature = Feature<MultiPolygon, Record<string, unknown>>;

/** An overlap of more than a square metre between two Gemeinden is a bug, not rounding. */
const MAX_OVERLAP_M2 = 1;
const MAX_AREA_MISMATCH = 1e-6;

function checkShape(f: RegionFeature): void {
  const label = `${f.properties.level} ${f.properties.ars}`;
  if (!booleanValid(f)) throw new Error(`${label}: turf.booleanValid fails`);
  if (kinks(f).features.length > 0) throw new Error(`${label}: ring intersects itself`);
  for (const polygon of f.geometry.coordinates) {
    polygon.forEach((ring, k) => {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) throw new Error(`${label}: ring not closed`);
      const repeated = ring.some((p, i) => i > 0 && p[0] === ring[i - 1]?.[0] && p[1] === ring[i - 1]?.[1]);
      if (repeated) throw new Error(`${label}: repeated vertex`);
      // RFC 7946: exterior rings counter-clockwise, holes clockwise.
      if (k === 0 ? signedArea2(ring) <= 0 : signedArea2(ring) >= 0) throw new Error(`${label}: wrong winding`);
    });
  }
}

function boxesMeet(a: number[], b: number[]): boolean {
  return (a[0] ?? 0) <= (b[2] ?? 0) && (b[0] ?? 0) <= (a[2] ?? 0) && (a[1] ?? 0) <= (b[3] ?? 0) && (b[1] ?? 0) <= (a[3] ?? 0);
}

function checkNoOverlaps(gemeinden: readonly RegionFeature[]): void {
  const boxes = gemeinden.map((g) => bbox(g));
  for (let i = 0; i < gemeinden.length; i++) {
    for (let j = i + 1; j < gemeinden.length; j++) {
      if (!boxesMeet(boxes[i] as number[], boxes[j] as number[])) continue;
      const [a, b] = [gemeinden[i] as RegionFeature, gemeinden[j] as RegionFeature];
      const overlap = intersect(featureCollection([a, b]));
      if (overlap && area(overlap) > MAX_OVERLAP_M2) {
        throw new Error(`Gemeinden ${a.properties.ars} and ${b.properties.ars} overlap by ${area(overlap)} m²`);
      }
    }
  }
}

function checkAreasAddUp(whole: RegionFeature, parts: readonly RegionFeature[]): void {
  const sum = parts.reduce((s, p) => s + area(p), 0);
  const mismatch = Math.abs(sum - area(whole)) / area(whole);
  if (mismatch > MAX_AREA_MISMATCH) throw new Error(`${whole.properties.ars}: parts add up to ${sum} m², not ${area(whole)} m²`);
}

export function validateRegions(features: readonly RegionFeature[]): void {
  for (const f of features) checkShape(f);
  const kreis = features.find((f) => f.properties.level === 'kreis');
  if (!kreis) throw new Error('no Kreis');
  const verbaende = features.filter((f) => f.properties.level === 'verband');
  const gemeinden = features.filter((f) => f.properties.level === 'gemeinde');
  checkAreasAddUp(kreis, gemeinden);
  checkAreasAddUp(kreis, verbaende);
  for (const v of verbaende) checkAreasAddUp(v, gemeinden.filter((g) => g.properties.parent_ars === v.properties.ars));
  checkNoOverlaps(gemeinden);
}
