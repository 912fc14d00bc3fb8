import { distance, type PlanePoint } from './plane.ts';
import { GEMEINDE_COUNT, TOWNS, type TownSite } from './plan.ts';
import type { Random } from './random.ts';

export interface Seed extends PlanePoint {
  readonly radius: number;
  readonly town: TownSite | null;
}

export interface SeedLayout {
  /** One seed per Gemeinde; the Voronoi cells of these make up the district. */
  readonly district: readonly Seed[];
  /** Seeds of the neighbouring land: their cells are dropped, they only shape the border. */
  readonly outside: readonly Seed[];
}

/** Radius in km of the intended district outline at angle theta: a lumpy disc of ~1,400 km². */
export function outlineRadius(theta: number): number {
  return 20.5 * (1 + 0.12 * Math.sin(2 * theta + 0.7) + 0.07 * Math.sin(3 * theta + 2.1) + 0.04 * Math.sin(5 * theta + 4.0));
}

function insideOutline(p: PlanePoint, margin = 0): boolean {
  return Math.hypot(p.x, p.y) + margin < outlineRadius(Math.atan2(p.y, p.x));
}

/** Villages near a town sit closer together, as commuter belts do. */
function villageRadius(p: PlanePoint): number {
  const nearTown = TOWNS.some((t) => distance(p, t) < 7);
  return nearTown ? 2.4 : 3.1;
}

function fits(candidate: Seed, seeds: readonly Seed[]): boolean {
  return seeds.every((s) => distance(candidate, s) >= (candidate.radius + s.radius) / 2);
}

/**
 * Dart throwing with a spacing per seed (a variable-radius Poisson disc): it stops at the wanted
 * number of Gemeinden, so cell sizes vary as real ones do. The ring of outside seeds is thrown
 * until saturated, which keeps the district border close to the intended outline.
 */
export function layoutSeeds(rng: Random): SeedLayout {
  const district: Seed[] = TOWNS.map((t) => ({ x: t.x, y: t.y, radius: t.radius, town: t }));
  for (let attempt = 0; district.length < GEMEINDE_COUNT; attempt++) {
    if (attempt > 50_000) throw new Error(`only ${district.length} district seeds fit`);
    const p = { x: rng.range(-27, 27), y: rng.range(-27, 27) };
    if (!insideOutline(p, 0.8)) continue;
    const candidate = { ...p, radius: villageRadius(p), town: null };
    if (fits(candidate, district)) district.push(candidate);
  }
  const outside: Seed[] = [];
  for (let attempt = 0; attempt < 6_000; attempt++) {
    const theta = rng.range(-Math.PI, Math.PI);
    const r = outlineRadius(theta) + rng.range(0.6, 12);
    const candidate = { x: r * Math.cos(theta), y: r * Math.sin(theta), radius: 3.2, town: null };
    if (fits(candidate, outside) && fits(candidate, district)) outside.push(candidate);
  }
  return { district, outside };
}
