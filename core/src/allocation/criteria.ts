import type { AllocationUnit, CriterionKey, CriterionWeights } from './types.ts';
import { CRITERION_KEYS } from './types.ts';
import { CRITERION_REGISTRY, type CriterionSpec } from '../registries/weights.ts';

/** The engine's part of each criterion (direction, scale) is in the weights registry. */
export type { CriterionSpec };
export const CRITERIA: Readonly<Record<CriterionKey, CriterionSpec>> = CRITERION_REGISTRY;

/** Scores are clipped to a quarter and four times the district mean, so that a small unit with
 * a handful of places cannot dominate the district. */
export const SCORE_LIMIT = 2;

/**
 * Free housing places are the unit's own field; the criterion falls back to it. Unknown places
 * (never reported) stay missing, so they score as average, not as none, whatever the cap.
 */
export function criterionValue(unit: AllocationUnit, criterion: CriterionKey): number | undefined {
  const value = unit.criteria[criterion];
  return value === undefined && criterion === 'housing_free' ? (unit.housing_free ?? undefined) : value;
}

/**
 * Score of one criterion for every unit: log2 of the per-capita value relative to the
 * population-weighted district mean, clipped to [-SCORE_LIMIT, SCORE_LIMIT]. Average scores 0;
 * a missing value, a unit without inhabitants, or a district where nobody has any of it is
 * neutral as well.
 */
export function criterionScores(units: readonly AllocationUnit[], criterion: CriterionKey): number[] {
  const { scale } = CRITERIA[criterion];
  const perCapita = units.map((unit) => {
    const value = criterionValue(unit, criterion);
    if (value === undefined || unit.population === 0) return undefined;
    return scale === 'count' ? value / unit.population : value;
  });
  let weighted = 0;
  let population = 0;
  units.forEach((unit, i) => {
    const x = perCapita[i];
    if (x === undefined) return;
    weighted += x * unit.population;
    population += unit.population;
  });
  const mean = population > 0 ? weighted / population : 0;
  return perCapita.map((x) => {
    if (x === undefined || mean <= 0) return 0;
    if (x <= 0) return -SCORE_LIMIT;
    return Math.min(SCORE_LIMIT, Math.max(-SCORE_LIMIT, Math.log2(x / mean)));
  });
}

export type ScoreTable = Record<CriterionKey, number[]>;

export function scoreTable(units: readonly AllocationUnit[]): ScoreTable {
  const table = {} as ScoreTable;
  for (const criterion of CRITERION_KEYS) table[criterion] = criterionScores(units, criterion);
  return table;
}

/** The exponent a criterion adds: weight * direction * score (the factor is 2 to this power). */
export function exponent(criterion: CriterionKey, weight: number, score: number): number {
  return weight === 0 ? 0 : weight * CRITERIA[criterion].direction * score;
}

/** Multiplier of every unit: 2^(sum of exponents); exactly 1 when all weights are zero. */
export function multipliers(scores: ScoreTable, weights: CriterionWeights, count: number): number[] {
  const sums = new Array<number>(count).fill(0);
  for (const criterion of CRITERION_KEYS) {
    const weight = weights[criterion] ?? 0;
    if (weight === 0) continue;
    const column = scores[criterion];
    for (let i = 0; i < count; i++) sums[i]! += exponent(criterion, weight, column[i]!);
  }
  return sums.map((sum) => 2 ** sum);
}
