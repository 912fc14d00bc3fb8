import type { AllocationUnit, CriterionWeights, MaxDeviation, UnknownCapacity } from './types.ts';
import { assertCount, assertNonNegative, assertUnknownCapacity } from './validate.ts';

// Household profiles are anonymous by construction: sizes, age bands and needs, never a name,
// date of birth or case number. Identical profiles are interchangeable, which is what lets the
// model use one integer variable per profile group and unit instead of one per household.

export interface HouseholdProfile {
  size: number;
  children_0_2: number;
  children_3_5: number;
  children_6_17: number;
  /** ISO 639-1 codes, lower case. */
  languages: string[];
  needs_barrier_free: boolean;
  needs_medical: boolean;
}

export interface HouseholdGroup {
  profile: HouseholdProfile;
  count: number;
}

/** An allocation unit with what matching needs beyond the suggestion. */
export interface MatchingUnit extends AllocationUnit {
  /** Null when never reported: counts like `housing_free` under `unknown_capacity`. */
  housing_free_barrier_free?: number | null;
  /** Languages in which offers are available in the unit (ISO 639-1). */
  languages?: string[];
}

export interface MatchingWeights extends CriterionWeights {
  /** Bonus when a unit has offers in one of the household's languages. */
  language_match?: number;
}

export interface MatchingProblem {
  units: MatchingUnit[];
  groups: HouseholdGroup[];
  weights: MatchingWeights;
  /** Band around the legal key for the persons placed; none if absent. */
  max_deviation?: MaxDeviation;
  shared_accommodation_credit?: number;
  /** How units with unknown housing places count; default `none`. */
  unknown_capacity?: UnknownCapacity;
}

export const childrenUnder6 = (p: HouseholdProfile) => p.children_0_2 + p.children_3_5;
export const adults = (p: HouseholdProfile) => p.size - p.children_0_2 - p.children_3_5 - p.children_6_17;

/** Canonical form: languages deduplicated, lower case and sorted. */
export function canonicalProfile(profile: HouseholdProfile): HouseholdProfile {
  return {
    size: profile.size,
    children_0_2: profile.children_0_2,
    children_3_5: profile.children_3_5,
    children_6_17: profile.children_6_17,
    languages: [...new Set(profile.languages.map((l) => l.toLowerCase()))].sort(),
    needs_barrier_free: profile.needs_barrier_free,
    needs_medical: profile.needs_medical,
  };
}

function signature(p: HouseholdProfile): string {
  const flags = `${p.needs_barrier_free ? 1 : 0}${p.needs_medical ? 1 : 0}`;
  return [p.size, p.children_0_2, p.children_3_5, p.children_6_17, flags, p.languages.join('+')].join('/');
}

/** Groups identical profiles, in a deterministic order (larger households first). */
export function groupProfiles(profiles: readonly HouseholdProfile[]): HouseholdGroup[] {
  const groups = new Map<string, HouseholdGroup>();
  for (const raw of profiles) {
    const profile = canonicalProfile(raw);
    const key = signature(profile);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { profile, count: 1 });
  }
  return [...groups.entries()]
    .sort(([a, ga], [b, gb]) => gb.profile.size - ga.profile.size || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => group);
}

export const totalPersons = (groups: readonly HouseholdGroup[]) =>
  groups.reduce((sum, g) => sum + g.count * g.profile.size, 0);

/** Rejects what the CSV parser would have rejected, for problems that arrive as JSON. */
export function validateMatchingProblem(problem: MatchingProblem): void {
  for (const unit of problem.units) {
    if (unit.housing_free !== null) assertCount(unit.housing_free, `housing_free of ${unit.key}`);
    assertCount(unit.housing_free_barrier_free ?? 0, `housing_free_barrier_free of ${unit.key}`);
  }
  assertUnknownCapacity(problem.unknown_capacity);
  problem.groups.forEach(({ profile, count }, g) => {
    assertCount(count, `count of group ${g}`);
    for (const field of ['size', 'children_0_2', 'children_3_5', 'children_6_17'] as const) {
      assertCount(profile[field], `${field} of group ${g}`);
    }
    if (profile.size < 1 || adults(profile) < 0) throw new RangeError(`group ${g} has no valid size`);
  });
  for (const [name, weight] of Object.entries(problem.weights)) {
    assertNonNegative(weight ?? 0, `weight of ${name}`);
  }
}
