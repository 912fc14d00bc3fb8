import { borderConflicts } from './planarity.ts';
import type { Random } from './random.ts';
import { layoutSeeds, type Seed } from './seeds.ts';
import { tessellate, type Tessellation } from './tessellation.ts';

export interface DistrictGeometry {
  readonly seeds: readonly Seed[];
  readonly tess: Tessellation;
}

/**
 * Seeds, Voronoi cells and wiggled borders. A wiggle that brings two borders too close is
 * straightened (straight Voronoi edges cannot cross) and the cells are rebuilt; the border
 * random streams are keyed by border, so the other borders stay as they were.
 */
export function buildGeometry(rng: Random): DistrictGeometry {
  const layout = layoutSeeds(rng.fork('seeds'));
  const straight = new Set<string>();
  for (;;) {
    const tess = tessellate(layout, rng.fork('borders'), straight);
    const conflicts = [...borderConflicts(tess.borders)].filter((key) => !straight.has(key));
    if (conflicts.length === 0 && borderConflicts(tess.borders).size === 0) return { seeds: layout.district, tess };
    if (conflicts.length === 0) throw new Error('straight borders still conflict: the Voronoi cells are degenerate');
    for (const key of conflicts) straight.add(key);
  }
}
