import type { UnitBounds } from './bounds.ts';
import { criterionValue, exponent, type ScoreTable } from './criteria.ts';
import type {
  AllocationUnit,
  BoundKind,
  CriterionContribution,
  CriterionWeights,
  LegalKeySeat,
  UnitSuggestion,
} from './types.ts';
import { CRITERION_KEYS } from './types.ts';

export interface ExplainInput {
  unit: AllocationUnit;
  /** Position of the unit in the key-sorted arrays of scores. */
  index: number;
  legal: LegalKeySeat;
  bounds: UnitBounds;
  scores: ScoreTable;
  weights: CriterionWeights;
  multiplier: number;
  target: number;
  bounded_target: number;
  /** The projection's unclamped value; beyond a bound means that bound holds the unit back. */
  desired: number;
  seats: number;
}

/** Contributions multiply: legal quota times every factor, renormalised, gives the target. */
export function contributions(
  input: Pick<ExplainInput, 'unit' | 'index' | 'scores' | 'weights'>,
): CriterionContribution[] {
  return CRITERION_KEYS.map((criterion) => {
    const weight = input.weights[criterion] ?? 0;
    const score = input.scores[criterion][input.index]!;
    return {
      criterion,
      value: criterionValue(input.unit, criterion) ?? null,
      score,
      weight,
      factor: 2 ** exponent(criterion, weight, score),
    };
  });
}

function bindingKinds(bounds: UnitBounds, desired: number, x: number): BoundKind[] {
  if (desired > bounds.hi && x >= bounds.hi) return bounds.hi_kinds;
  if (desired < bounds.lo && x <= bounds.lo) return bounds.lo_kinds;
  return [];
}

export function explainUnit(input: ExplainInput): UnitSuggestion {
  const { unit, legal, bounds, seats } = input;
  const deviation = seats - legal.seats;
  return {
    key: unit.key,
    name: unit.name,
    population_date: unit.population_date ?? null,
    legal_quota: legal.quota,
    legal_seats: legal.seats,
    multiplier: input.multiplier,
    contributions: contributions(input),
    target: input.target,
    bounded_target: input.bounded_target,
    lower_bound: bounds.lo,
    upper_bound: bounds.hi,
    binding: bindingKinds(bounds, input.desired, input.bounded_target),
    seats,
    deviation_persons: deviation,
    deviation_percent: legal.seats > 0 ? (100 * deviation) / legal.seats : null,
  };
}
