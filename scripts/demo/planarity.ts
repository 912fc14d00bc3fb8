import type { Position } from 'geojson';

/**
 * Checks that the border polylines form a planar graph: no two segments cross, overlap or come
 * closer than TOLERANCE unless they meet at a shared vertex. With that, and every cell walking its
 * borders counter-clockwise, the cells tile the district and each ring is simple. Returns the keys
 * of borders in conflict, so the caller can straighten them (Voronoi edges never cross).
 */
const TOLERANCE = 2e-6; // degrees, about 0.15 m: twice the rounding step of the coordinates
const GRID = 0.01;

interface Segment {
  readonly border: string;
  readonly a: Position;
  readonly b: Position;
}

const same = (p: Position, q: Position): boolean => p[0] === q[0] && p[1] === q[1];

function pointSegmentDistance(p: Position, a: Position, b: Position): number {
  const [px = 0, py = 0] = p;
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function orientation(a: Position, b: Position, c: Position): number {
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const [cx = 0, cy = 0] = c;
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

function tooClose(s: Segment, t: Segment): boolean {
  const shared = [s.a, s.b].filter((p) => same(p, t.a) || same(p, t.b)).length;
  if (shared === 2) return true;
  // Segments meeting at a vertex must leave it in different directions.
  const far = (p: Position, seg: Segment): boolean =>
    same(p, seg.a) || same(p, seg.b) || pointSegmentDistance(p, seg.a, seg.b) >= TOLERANCE;
  if (!far(s.a, t) || !far(s.b, t) || !far(t.a, s) || !far(t.b, s)) return true;
  if (shared === 1) return false;
  const crosses =
    orientation(s.a, s.b, t.a) * orientation(s.a, s.b, t.b) < 0 && orientation(t.a, t.b, s.a) * orientation(t.a, t.b, s.b) < 0;
  return crosses;
}

function gridCells(s: Segment): string[] {
  const [x0, x1] = [Math.min(s.a[0] ?? 0, s.b[0] ?? 0), Math.max(s.a[0] ?? 0, s.b[0] ?? 0)];
  const [y0, y1] = [Math.min(s.a[1] ?? 0, s.b[1] ?? 0), Math.max(s.a[1] ?? 0, s.b[1] ?? 0)];
  const cells: string[] = [];
  for (let gx = Math.floor((x0 - TOLERANCE) / GRID); gx <= Math.floor((x1 + TOLERANCE) / GRID); gx++) {
    for (let gy = Math.floor((y0 - TOLERANCE) / GRID); gy <= Math.floor((y1 + TOLERANCE) / GRID); gy++) cells.push(`${gx},${gy}`);
  }
  return cells;
}

export function borderConflicts(borders: ReadonlyMap<string, readonly Position[]>): Set<string> {
  const segments: Segment[] = [];
  for (const [border, line] of borders) {
    for (let i = 0; i + 1 < line.length; i++) segments.push({ border, a: line[i] as Position, b: line[i + 1] as Position });
  }
  const grid = new Map<string, number[]>();
  segments.forEach((s, i) => {
    for (const cell of gridCells(s)) grid.set(cell, [...(grid.get(cell) ?? []), i]);
  });
  const conflicts = new Set<string>();
  const checked = new Set<number>();
  for (const members of grid.values()) {
    for (let m = 0; m < members.length; m++) {
      for (let n = m + 1; n < members.length; n++) {
        const [i, j] = [members[m] as number, members[n] as number];
        if (checked.has(i * segments.length + j)) continue;
        checked.add(i * segments.length + j);
        const [s, t] = [segments[i] as Segment, segments[j] as Segment];
        if (tooClose(s, t)) conflicts.add(s.border).add(t.border);
      }
    }
  }
  return conflicts;
}
