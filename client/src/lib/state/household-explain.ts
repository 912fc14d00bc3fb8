// Why each household went where it went: the chosen unit, the best other unit (the runner-up),
// and what kept the household from it. Computed in the browser from the server's placement with
// core's own fit and capacity functions, so the explanation uses the numbers the model used.
import { canonicalProfile, type HouseholdGroup, type HouseholdProfile, type MatchingProblem, type MatchingUnit, type MatchingWeights } from '@ilk/core/allocation/households';
import { fitMatrix } from '@ilk/core/allocation/household-fit';
import { consume, fitsAlone, unitCapacities, type UnitCapacity } from '@ilk/core/allocation/household-capacity';
import type { GroupPlacement } from '@ilk/core/allocation/household-greedy';
import type { MaxDeviation, UnknownCapacity } from '@ilk/core/allocation/types';

export type Limit = 'housing' | 'barrier_free' | 'kita' | 'school' | 'band';

export type Reason =
  /** No other unit could take this household even when empty. */
  | { kind: 'only' }
  | { kind: 'lower_fit'; delta: number }
  | { kind: 'equal_fit' }
  /** The runner-up fits better but is full: the limits it would exceed. */
  | { kind: 'full'; limits: Limit[] }
  /** The runner-up fits better and has room: the chosen unit needed persons to reach its band. */
  | { kind: 'band_minimum' }
  | { kind: 'unplaced' };

export interface UnitChoice {
  key: string;
  name: string;
  fit: number;
}

export interface HouseholdExplanation {
  /** Position in the list the households were sent in (0-based). */
  index: number;
  profile: HouseholdProfile;
  chosen: UnitChoice | null;
  runnerUp: UnitChoice | null;
  reason: Reason;
}

export interface ExplainInput {
  units: readonly MatchingUnit[];
  weights: MatchingWeights;
  maxDeviation: MaxDeviation | null;
  credit: number;
  /** How units without a capacity report counted; default 'none'. */
  unknownCapacity?: UnknownCapacity;
  /** The households as sent, in their order. */
  profiles: readonly HouseholdProfile[];
  groups: readonly HouseholdGroup[];
  placements: readonly GroupPlacement[];
}

const EPS = 1e-9;
const signature = (p: HouseholdProfile) => JSON.stringify(canonicalProfile(p));

/** The capacities a household of this profile would exceed in a unit with `left` room. */
export function blockingLimits(profile: HouseholdProfile, left: UnitCapacity): Limit[] {
  const limits: Limit[] = [];
  if (profile.size > left.housing) limits.push('housing');
  if (profile.needs_barrier_free && profile.size > left.barrier_free) limits.push('barrier_free');
  if (profile.children_0_2 + profile.children_3_5 > left.kita) limits.push('kita');
  if (profile.children_6_17 > left.school) limits.push('school');
  if (profile.size > left.band_hi) limits.push('band');
  return limits;
}

export function explainHouseholds(input: ExplainInput): HouseholdExplanation[] {
  const problem: MatchingProblem = {
    units: [...input.units],
    groups: [...input.groups],
    weights: input.weights,
    ...(input.maxDeviation ? { max_deviation: input.maxDeviation } : {}),
    shared_accommodation_credit: input.credit,
    ...(input.unknownCapacity ? { unknown_capacity: input.unknownCapacity } : {}),
  };
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const empty = unitCapacities(problem);
  const left = empty.map((c) => ({ ...c }));
  const unitIndex = new Map(problem.units.map((u, i) => [u.key, i]));
  // Per group, the units its households went to, one entry per household.
  const queue = problem.groups.map(() => [] as number[]);
  for (const p of input.placements) {
    const u = unitIndex.get(p.unit_key);
    if (u === undefined || !problem.groups[p.group]) continue;
    for (let h = 0; h < p.households; h++) {
      queue[p.group]!.push(u);
      consume(left[u]!, problem.groups[p.group]!.profile);
    }
  }
  const groupOf = new Map(problem.groups.map((g, i) => [signature(g.profile), i]));
  const choice = (g: number, u: number): UnitChoice => ({ key: problem.units[u]!.key, name: problem.units[u]!.name, fit: fit[g]![u]! });

  return input.profiles.map((profile, index) => {
    const g = groupOf.get(signature(profile));
    const u = g === undefined ? undefined : queue[g]!.shift();
    if (g === undefined || u === undefined) return { index, profile, chosen: null, runnerUp: null, reason: { kind: 'unplaced' } };
    // The best other unit that could take the household at all (when empty).
    let best = -1;
    problem.units.forEach((_, v) => {
      if (v !== u && fitsAlone(profile, empty[v]!) && (best < 0 || fit[g]![v]! > fit[g]![best]!)) best = v;
    });
    const chosen = choice(g, u);
    if (best < 0) return { index, profile, chosen, runnerUp: null, reason: { kind: 'only' } };
    const runnerUp = choice(g, best);
    return { index, profile, chosen, runnerUp, reason: reasonFor(profile, chosen.fit, runnerUp.fit, left[best]!) };
  });
}

function reasonFor(profile: HouseholdProfile, chosen: number, other: number, otherLeft: UnitCapacity): Reason {
  if (other < chosen - EPS) return { kind: 'lower_fit', delta: chosen - other };
  const limits = blockingLimits(profile, otherLeft);
  if (limits.length) return { kind: 'full', limits };
  return other > chosen + EPS ? { kind: 'band_minimum' } : { kind: 'equal_fit' };
}
