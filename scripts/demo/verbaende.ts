import { distance, type PlanePoint } from './plane.ts';
import { AMT_COUNT } from './plan.ts';
import type { Seed } from './seeds.ts';
import type { Tessellation } from './tessellation.ts';

export type VerbandKind = 'Amt' | 'Amtsfreie Gemeinde' | 'Gemeindefreies Gebiet';

export interface CellGroup {
  readonly kind: VerbandKind;
  /** The cell an Amt was grown from; for the others their only cell. */
  readonly seat: number;
  readonly members: readonly number[];
}

const AMTSFREI_ROLES = new Set(['kreisstadt', 'amtsfreie-stadt', 'amtsfreie-gemeinde']);

/** The unpopulated forest: a border cell as far from every town as the district allows. */
export function chooseForest(seeds: readonly Seed[], tess: Tessellation): number {
  const towns = seeds.filter((s) => s.town);
  let best = -1;
  let bestDistance = -1;
  seeds.forEach((s, i) => {
    if (s.town || !tess.outer[i]) return;
    const d = Math.min(...towns.map((t) => distance(s, t)));
    if (d > bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

/** The item with the smallest score; the first one on ties, so the choice is stable. */
function argmin<T>(items: readonly T[], score: (item: T) => number): T {
  let best = items[0] as T;
  let bestScore = Infinity;
  for (const item of items) {
    const s = score(item);
    if (s < bestScore) [best, bestScore] = [item, s];
  }
  return best;
}

function centroid(points: readonly PlanePoint[]): PlanePoint {
  const n = points.length;
  return { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
}

/** Amt seats: the amtsangehörige towns plus villages spread out by a few rounds of k-means. */
function amtSeats(seeds: readonly Seed[], villages: readonly number[], avoid: readonly PlanePoint[]): number[] {
  const fixed = villages.filter((i) => seeds[i]?.town);
  const centres: PlanePoint[] = fixed.map((i) => seeds[i] as Seed);
  while (centres.length < AMT_COUNT) {
    const far = (i: number): number => Math.min(...[...centres, ...avoid].map((c) => distance(seeds[i] as Seed, c)));
    centres.push(seeds[argmin(villages, (i) => -far(i))] as Seed);
  }
  const nearest = (p: PlanePoint): number => argmin([...centres.keys()], (k) => distance(p, centres[k] as PlanePoint));
  for (let round = 0; round < 8; round++) {
    for (let k = fixed.length; k < centres.length; k++) {
      const members = villages.filter((i) => nearest(seeds[i] as Seed) === k).map((i) => seeds[i] as Seed);
      if (members.length > 0) centres[k] = centroid(members);
    }
  }
  return centres.map((c, k) => (k < fixed.length ? (fixed[k] as number) : argmin(villages, (i) => distance(seeds[i] as Seed, c))));
}

/**
 * Grows the Ämter outwards from their seats along shared borders (Dijkstra over the cell
 * graph), so every Amt is one contiguous piece; a village cut off from every seat by amtsfreie
 * towns would join the nearest seat instead, as exclaves do exist.
 */
function growAemter(
  seeds: readonly Seed[],
  tess: Tessellation,
  villages: readonly number[],
  seats: readonly number[],
): number[][] {
  const allowed = new Set(villages);
  const cost = new Map<number, number>(seats.map((s) => [s, 0]));
  const owner = new Map<number, number>(seats.map((s, k) => [s, k]));
  const open = new Set(seats);
  while (open.size > 0) {
    const current = argmin([...open], (i) => cost.get(i) ?? 0);
    open.delete(current);
    for (const next of tess.neighbours[current] ?? []) {
      const c = (cost.get(current) ?? 0) + distance(seeds[current] as Seed, seeds[next] as Seed);
      if (!allowed.has(next) || c >= (cost.get(next) ?? Infinity)) continue;
      cost.set(next, c);
      owner.set(next, owner.get(current) as number);
      open.add(next);
    }
  }
  const groups = seats.map((): number[] => []);
  for (const i of villages) {
    const k = owner.get(i) ?? argmin([...seats.keys()], (j) => distance(seeds[i] as Seed, seeds[seats[j] as number] as Seed));
    groups[k]?.push(i);
  }
  return groups;
}

export function groupIntoVerbaende(seeds: readonly Seed[], tess: Tessellation, forest: number): CellGroup[] {
  const amtsfrei = seeds.flatMap((s, i) => (s.town && AMTSFREI_ROLES.has(s.town.role) ? [i] : []));
  const villages = seeds.flatMap((_, i) => (i === forest || amtsfrei.includes(i) ? [] : [i]));
  const seats = amtSeats(seeds, villages, amtsfrei.map((i) => seeds[i] as Seed));
  const aemter = growAemter(seeds, tess, villages, seats);
  return [
    ...amtsfrei.map((i): CellGroup => ({ kind: 'Amtsfreie Gemeinde', seat: i, members: [i] })),
    { kind: 'Gemeindefreies Gebiet', seat: forest, members: [forest] },
    ...aemter.map((members, k): CellGroup => ({ kind: 'Amt', seat: seats[k] as number, members })),
  ];
}
