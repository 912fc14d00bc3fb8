import {
  computeLegalKey,
  housingCap,
  fitMatrix,
  totalPersons,
  type HouseholdProfile,
  type MatchingProblem,
  type MatchingUnit,
} from '@ilk/core';

/** The demo district (data/demo). */
export const KREIS = '010990000000';
export const PERIOD = 2026;

/** A household profile: two adults unless told otherwise. */
export function household(fields: Partial<HouseholdProfile> = {}): HouseholdProfile {
  return { size: 2, children_0_2: 0, children_3_5: 0, children_6_17: 0, languages: [], needs_barrier_free: false, needs_medical: false, ...fields };
}

/** Twelve households of five kinds, one of them needing barrier-free housing. */
export const TWELVE: HouseholdProfile[] = [
  ...Array.from({ length: 4 }, () => household({ languages: ['uk'] })),
  ...Array.from({ length: 3 }, () => household({ children_3_5: 1, languages: ['ar'] })),
  ...Array.from({ length: 3 }, () => household({ size: 4, children_6_17: 2, languages: ['fa'], needs_medical: true })),
  household({ size: 3, children_0_2: 1, languages: ['ar'], needs_barrier_free: true }),
  household({ size: 5, children_3_5: 1, children_6_17: 2, languages: ['tr'] }),
];

interface Room {
  housing: number;
  barrier_free: number;
  kita: number;
  school: number;
  lo: number;
  hi: number;
}

/**
 * The best total fit by a search over every assignment of households to units, with
 * the model's constraints written out again here (housing, barrier-free housing, Kita and
 * school places, the band around the legal key). Identical households are interchangeable,
 * so within a group units are taken in non-decreasing order. Null when nothing is feasible.
 */
export function bruteForceOptimum(problem: MatchingProblem): number | null {
  const units: MatchingUnit[] = problem.units;
  const fit = fitMatrix(problem.groups, units, problem.weights);
  const persons = totalPersons(problem.groups);
  const seats = computeLegalKey(units, persons, problem).units.map((s) => s.seats);
  const d = problem.max_deviation ? Math.floor(problem.max_deviation.value) : Infinity;
  if (problem.max_deviation && problem.max_deviation.unit !== 'persons') throw new Error('band in persons only');
  const room: Room[] = units.map((u, i) => ({
    housing: housingCap(u, problem.unknown_capacity),
    barrier_free: u.housing_free === null ? housingCap(u, problem.unknown_capacity) : (u.housing_free_barrier_free ?? 0),
    kita: u.criteria.kita_free ?? Infinity,
    school: u.criteria.school_free ?? Infinity,
    lo: Math.max(0, seats[i]! - d),
    hi: seats[i]! + d,
  }));
  const placed = units.map(() => 0);
  const order = problem.groups.flatMap((g, gi) => Array.from({ length: g.count }, () => gi));
  // Branch and bound: no completion can beat every remaining household in its best unit.
  const bestFit = problem.groups.map((_, g) => Math.max(...fit[g]!));
  const rest = order.map((_, h) => order.slice(h).reduce((sum, g) => sum + bestFit[g]!, 0)).concat(0);
  let best: number | null = null;
  const visit = (h: number, from: number, total: number): void => {
    if (best !== null && total + rest[h]! <= best - 1e-9) return;
    if (h === order.length) {
      if (room.every((r, u) => placed[u]! >= r.lo) && (best === null || total > best)) best = total;
      return;
    }
    const g = order[h]!;
    const p = problem.groups[g]!.profile;
    const under6 = p.children_0_2 + p.children_3_5;
    for (let u = from; u < units.length; u++) {
      const r = room[u]!;
      if (p.size > r.housing || placed[u]! + p.size > r.hi || under6 > r.kita || p.children_6_17 > r.school) continue;
      if (p.needs_barrier_free && p.size > r.barrier_free) continue;
      r.housing -= p.size; r.kita -= under6; r.school -= p.children_6_17; placed[u]! += p.size;
      if (p.needs_barrier_free) r.barrier_free -= p.size;
      visit(h + 1, order[h + 1] === g ? u : 0, total + fit[g]![u]!);
      r.housing += p.size; r.kita += under6; r.school += p.children_6_17; placed[u]! -= p.size;
      if (p.needs_barrier_free) r.barrier_free += p.size;
    }
  };
  visit(0, 0, 0);
  return best;
}
