import { consume, fitsAlone, unitCapacities, type UnitCapacity } from './household-capacity.ts';
import { fitMatrix } from './household-fit.ts';
import { validateMatchingProblem, type HouseholdGroup, type MatchingProblem } from './households.ts';

export interface GroupPlacement {
  group: number;
  unit_key: string;
  households: number;
}

export interface MatchingSolution {
  placements: GroupPlacement[];
  /** Total fit of the placements. */
  objective: number;
  /** No placement can reach more: every household in its best unit, capacities ignored. */
  upper_bound: number;
  /** (upper_bound - objective) / max(1, |upper_bound|); 0 means proven optimal. */
  gap: number;
  unplaced: { group: number; households: number }[];
  /** Units left below the lower end of the band around the legal key. */
  below_band: { unit_key: string; persons: number; lower: number }[];
}

/** Households that are hardest to place go first: barrier-free needs, then larger households. */
function order(groups: readonly HouseholdGroup[]): number[] {
  return groups
    .map((_, g) => g)
    .sort((a, b) => {
      const pa = groups[a]!.profile;
      const pb = groups[b]!.profile;
      return Number(pb.needs_barrier_free) - Number(pa.needs_barrier_free) || pb.size - pa.size || a - b;
    });
}

export function upperBound(problem: MatchingProblem, fit: number[][], caps: UnitCapacity[]): number {
  return problem.groups.reduce((sum, group, g) => {
    const fits = fit[g]!.filter((_, u) => fitsAlone(group.profile, caps[u]!));
    return fits.length > 0 ? sum + group.count * Math.max(...fits) : sum;
  }, 0);
}

/**
 * Greedy placement: each household, hardest first, into the unit of best fit that still has
 * room (ties: the earlier unit). Fast and deterministic; the gap to the upper bound says how
 * much an exact solver could at most add.
 */
export function greedyMatching(problem: MatchingProblem): MatchingSolution {
  validateMatchingProblem(problem);
  const start = unitCapacities(problem);
  const caps = start.map((cap) => ({ ...cap }));
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const placed = new Map<string, number>();
  const unplaced: MatchingSolution['unplaced'] = [];
  let objective = 0;
  for (const g of order(problem.groups)) {
    const { profile, count } = problem.groups[g]!;
    let missing = 0;
    for (let h = 0; h < count; h++) {
      let best = -1;
      caps.forEach((cap, u) => {
        if (fitsAlone(profile, cap) && (best < 0 || fit[g]![u]! > fit[g]![best]!)) best = u;
      });
      if (best < 0) {
        missing += 1;
        continue;
      }
      consume(caps[best]!, profile);
      objective += fit[g]![best]!;
      const key = `${g}:${best}`;
      placed.set(key, (placed.get(key) ?? 0) + 1);
    }
    if (missing > 0) unplaced.push({ group: g, households: missing });
  }
  const placements = [...placed.entries()]
    .map(([key, households]) => {
      const [g, u] = key.split(':').map(Number) as [number, number];
      return { group: g, unit: u, unit_key: problem.units[u]!.key, households };
    })
    .sort((a, b) => a.group - b.group || a.unit - b.unit)
    .map(({ group, unit_key, households }) => ({ group, unit_key, households }));
  const upper_bound = upperBound(problem, fit, start);
  const below_band = problem.units.flatMap((unit, u) => {
    // band_lo falls by every person placed and, unlike housing, is finite for every unit.
    const persons = start[u]!.band_lo - caps[u]!.band_lo;
    const lower = start[u]!.band_lo;
    return persons < lower ? [{ unit_key: unit.key, persons, lower }] : [];
  });
  return {
    placements,
    objective,
    upper_bound,
    gap: (upper_bound - objective) / Math.max(1, Math.abs(upper_bound)),
    unplaced,
    below_band,
  };
}
