import { CRITERIA, scoreTable, type ScoreTable } from './criteria.ts';
import {
  adults,
  childrenUnder6,
  type HouseholdGroup,
  type HouseholdProfile,
  type MatchingUnit,
  type MatchingWeights,
} from './households.ts';
import type { CriterionKey } from './types.ts';
import { CRITERION_KEYS } from './types.ts';

/**
 * How many members of a household a criterion concerns: Kita places matter per child under
 * six, school places per school-age child, language courses and the labour market per adult,
 * health care twice for a household with medical needs; housing, load and open needs once.
 */
export function relevance(criterion: CriterionKey, p: HouseholdProfile): number {
  switch (criterion) {
    case 'kita_free':
      return childrenUnder6(p);
    case 'school_free':
      return p.children_6_17;
    case 'language_course_free':
    case 'labour_market':
      return adults(p);
    case 'health_care':
      return p.needs_medical ? 2 : 1;
    default:
      return 1;
  }
}

/**
 * Fit of a household in a unit: the same district-relative scores as the suggestion, weighted
 * by the coordinator and by relevance to this household, plus a bonus for a shared language.
 * Zero is an average unit; the scale is the suggestion's (log2 of the ratio to the mean).
 */
export function householdFit(
  profile: HouseholdProfile,
  unit: MatchingUnit,
  scores: ScoreTable,
  index: number,
  weights: MatchingWeights,
): number {
  let fit = 0;
  for (const criterion of CRITERION_KEYS) {
    const weight = weights[criterion] ?? 0;
    if (weight === 0) continue;
    const score = scores[criterion][index]!;
    fit += weight * relevance(criterion, profile) * CRITERIA[criterion].direction * score;
  }
  const languages = new Set(unit.languages ?? []);
  if (profile.languages.some((l) => languages.has(l))) fit += weights.language_match ?? 0;
  return fit;
}

/** fit[g][u] for every profile group and unit (units in the given order). */
export function fitMatrix(
  groups: readonly HouseholdGroup[],
  units: readonly MatchingUnit[],
  weights: MatchingWeights,
): number[][] {
  const scores = scoreTable(units);
  return groups.map((g) => units.map((unit, u) => householdFit(g.profile, unit, scores, u, weights)));
}
