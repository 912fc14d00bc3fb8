import { featureCollection, point, voronoi } from '@turf/turf';
import type { Position } from 'geojson';
import { distance, signedArea2, toLonLat, type PlanePoint } from './plane.ts';
import type { Random } from './random.ts';
import type { SeedLayout } from './seeds.ts';

/**
 * Gemeinde cells that tile the district without gaps or overlaps, by construction: every shared
 * border is one polyline, computed once and walked forwards by one cell and backwards by the
 * other, and every vertex is rounded by the same function. No polygon clipping is involved, so no
 * two cells can disagree about a border in the last bit.
 */
export interface Tessellation {
  /** Closed, counter-clockwise rings in longitude/latitude, one per district seed. */
  readonly rings: Position[][];
  /** Indices of the cells sharing a border with each cell. */
  readonly neighbours: number[][];
  /** Whether each cell reaches the district border. */
  readonly outer: boolean[];
  /** Every distinct border polyline, for the planarity check. */
  readonly borders: Map<string, Position[]>;
}

/** Voronoi edges shorter than this are collapsed to a point: slivers help no one. */
const MIN_EDGE_KM = 0.05;
const BBOX: [number, number, number, number] = [-60, -60, 60, 60];

interface Topology {
  readonly vertices: PlanePoint[];
  readonly cells: number[][];
}

function voronoiTopology(layout: SeedLayout): Topology {
  const seeds = [...layout.district, ...layout.outside];
  const cells = voronoi(featureCollection(seeds.map((s) => point([s.x, s.y]))), { bbox: BBOX });
  const ids = new Map<string, number>();
  const vertices: PlanePoint[] = [];
  const rings = layout.district.map((_, i) => {
    const ring = cells.features[i]?.geometry.coordinates[0];
    if (!ring) throw new Error(`Voronoi cell ${i} is missing`);
    const open = ring.slice(0, -1);
    if (signedArea2(open) < 0) open.reverse();
    return open.map(([x = 0, y = 0]) => {
      if (Math.abs(x) >= BBOX[2] || Math.abs(y) >= BBOX[3]) throw new Error(`cell ${i} touches the Voronoi bbox`);
      // d3-voronoi hands neighbouring cells the very same vertex array, so exact keys match.
      const key = `${x},${y}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = vertices.length;
        ids.set(key, id);
        vertices.push({ x, y });
      }
      return id;
    });
  });
  return { vertices, cells: collapseShortEdges(vertices, rings) };
}

function collapseShortEdges(vertices: readonly PlanePoint[], cells: number[][]): number[][] {
  const parent = vertices.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i] as number)));
  for (const cell of cells) {
    cell.forEach((a, k) => {
      const b = cell[(k + 1) % cell.length] as number;
      if (distance(vertices[a] as PlanePoint, vertices[b] as PlanePoint) < MIN_EDGE_KM) {
        const [ra, rb] = [root(a), root(b)];
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    });
  }
  return cells.map((cell, i) => {
    const mapped = cell.map(root).filter((v, k, all) => v !== all[(k + 1) % all.length]);
    if (mapped.length < 3) throw new Error(`cell ${i} collapsed`);
    return mapped;
  });
}

/** A border wiggled like a field boundary: a few sine harmonics that vanish at both ends. */
function borderPolyline(a: PlanePoint, b: PlanePoint, rng: Random, straight: boolean): PlanePoint[] {
  const length = distance(a, b);
  const steps = straight ? 1 : Math.min(8, Math.floor(length / 0.6) + 1);
  const weights = [rng.range(-1, 1), rng.range(-0.5, 0.5), rng.range(-0.33, 0.33)];
  const [nx, ny] = [-(b.y - a.y) / length, (b.x - a.x) / length];
  const points: PlanePoint[] = [a];
  for (let i = 1; i < steps; i++) {
    const t = i / steps;
    const offset = 0.06 * length * weights.reduce((sum, w, k) => sum + w * Math.sin((k + 1) * Math.PI * t), 0);
    points.push({ x: a.x + (b.x - a.x) * t + nx * offset, y: a.y + (b.y - a.y) * t + ny * offset });
  }
  points.push(b);
  return points;
}

export function tessellate(layout: SeedLayout, rng: Random, straightBorders: ReadonlySet<string>): Tessellation {
  const { vertices, cells } = voronoiTopology(layout);
  const borders = new Map<string, Position[]>();
  const owners = new Map<string, number[]>();
  const rings = cells.map((cell, index) => {
    const ring: Position[] = [];
    cell.forEach((a, k) => {
      const b = cell[(k + 1) % cell.length] as number;
      const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
      let border = borders.get(key);
      if (!border) {
        const [from, to] = [vertices[Math.min(a, b)] as PlanePoint, vertices[Math.max(a, b)] as PlanePoint];
        border = borderPolyline(from, to, rng.fork(key), straightBorders.has(key)).map(toLonLat);
        borders.set(key, border);
      }
      owners.set(key, [...(owners.get(key) ?? []), index]);
      const walk = a < b ? border : [...border].reverse();
      ring.push(...walk.slice(0, -1));
    });
    ring.push(ring[0] as Position);
    return ring;
  });
  const neighbours = cells.map((): number[] => []);
  const outer = cells.map(() => false);
  for (const [key, pair] of owners) {
    if (pair.length > 2) throw new Error(`border ${key} is claimed by ${pair.length} cells`);
    const [p, q] = pair;
    if (p !== undefined && q === undefined) outer[p] = true;
    if (p !== undefined && q !== undefined) {
      neighbours[p]?.push(q);
      neighbours[q]?.push(p);
    }
  }
  return { rings, neighbours: neighbours.map((n) => n.sort((x, y) => x - y)), outer, borders };
}
