import type { Position } from 'geojson';
import { signedArea2 } from './plane.ts';

/**
 * Union of cells that share borders exactly (see tessellation.ts), done topologically instead of
 * with a polygon clipper: a border walked once in each direction is interior and cancels; what is
 * left is the outline, traced into rings. No coordinate is computed, so a Verband or the Kreis
 * has exactly the vertices of its Gemeinden and nothing can open a sliver between them.
 */
const keyOf = (p: Position): string => `${p[0]},${p[1]}`;

interface Edge {
  readonly from: Position;
  readonly to: Position;
  used: boolean;
}

/** Angle turned clockwise from direction `ref` to direction `dir`, in (0, 2π]. */
function clockwiseTurn(ref: number, dir: number): number {
  const turn = ref - dir;
  const normal = turn - 2 * Math.PI * Math.floor(turn / (2 * Math.PI));
  return normal === 0 ? 2 * Math.PI : normal;
}

const angle = (from: Position, to: Position): number =>
  Math.atan2((to[1] ?? 0) - (from[1] ?? 0), (to[0] ?? 0) - (from[0] ?? 0));

function boundaryEdges(rings: readonly Position[][]): Edge[] {
  const directed = new Map<string, Edge>();
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [from, to] = [ring[i] as Position, ring[i + 1] as Position];
      const reverse = `${keyOf(to)}>${keyOf(from)}`;
      if (directed.has(reverse)) directed.delete(reverse);
      else directed.set(`${keyOf(from)}>${keyOf(to)}`, { from, to, used: false });
    }
  }
  return [...directed.values()];
}

/**
 * Follows the outline keeping the region on the left. Where several outline edges leave one
 * vertex (two parts touching at a point) it takes the sharpest turn, and a walk that comes back
 * to a vertex it already visited is cut off as a ring of its own, so every ring is simple.
 */
function traceRings(edges: Edge[]): Position[][] {
  const outgoing = new Map<string, Edge[]>();
  for (const e of edges) outgoing.set(keyOf(e.from), [...(outgoing.get(keyOf(e.from)) ?? []), e]);
  const rings: Position[][] = [];
  for (const start of edges) {
    if (start.used) continue;
    const path: Position[] = [start.from];
    const seen = new Map<string, number>([[keyOf(start.from), 0]]);
    let edge: Edge | undefined = start;
    while (edge) {
      edge.used = true;
      const at = seen.get(keyOf(edge.to));
      if (at !== undefined) {
        rings.push([...path.slice(at), edge.to]);
        path.length = at + 1;
        for (const [k, i] of seen) if (i > at) seen.delete(k);
      } else {
        seen.set(keyOf(edge.to), path.length);
        path.push(edge.to);
      }
      const back = angle(edge.to, edge.from);
      const candidates: Edge[] = (outgoing.get(keyOf(edge.to)) ?? []).filter((e) => !e.used);
      candidates.sort((p, q) => clockwiseTurn(back, angle(p.from, p.to)) - clockwiseTurn(back, angle(q.from, q.to)));
      edge = candidates[0];
      if (!edge && path.length > 1) throw new Error('outline does not close');
    }
  }
  return rings;
}

function pointInRing(p: Position, ring: readonly Position[]): boolean {
  const [x = 0, y = 0] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] as Position;
    const [xj = 0, yj = 0] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The union of closed counter-clockwise rings, as MultiPolygon coordinates (RFC 7946 winding). */
export function dissolve(rings: readonly Position[][]): Position[][][] {
  const traced = traceRings(boundaryEdges(rings));
  const shells = traced.filter((r) => signedArea2(r) > 0);
  const holes = traced.filter((r) => signedArea2(r) < 0);
  const polygons = shells.map((shell) => [shell]);
  for (const hole of holes) {
    const [a, b] = [hole[0] as Position, hole[1] as Position];
    // The middle of a hole edge cannot lie on a shell: outline edges never overlap.
    const probe = [((a[0] ?? 0) + (b[0] ?? 0)) / 2, ((a[1] ?? 0) + (b[1] ?? 0)) / 2];
    const owners = polygons.filter((poly) => pointInRing(probe, poly[0] as Position[]));
    owners.sort((p, q) => signedArea2(p[0] as Position[]) - signedArea2(q[0] as Position[]));
    const owner = owners[0];
    if (!owner) throw new Error('a hole lies in no shell');
    owner.push(hole);
  }
  return polygons;
}
