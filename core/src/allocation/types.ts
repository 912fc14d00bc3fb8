// Wire types of the allocation engine. Fields are snake_case so that SQL columns, API bodies and
// these types share one vocabulary (see docs/allocation.md for the meaning of every number).

// The criteria (keys, labels, direction, scale) live in their registry: core/src/registries/weights.ts.
import { CRITERION_KEYS, type CriterionKey } from '../registries/weights.ts';
export { CRITERION_KEYS, type CriterionKey };

export type CriterionValues = Partial<Record<CriterionKey, number>>;
export type CriterionWeights = Partial<Record<CriterionKey, number>>;

/** One allocation unit (Amt or amtsfreie Gemeinde) of the district. */
export interface AllocationUnit {
  /** Amtlicher Regionalschlüssel, 12 digits; also the deterministic tie-breaker. */
  key: string;
  name: string;
  population: number;
  population_date?: string;
  /** Persons already received in the current period. */
  prior_intake: number;
  shared_accommodation_places?: number;
  /**
   * Free housing places: a hard cap of the suggestion. Null when the unit never reported them
   * ("unknown", not 0): `unknown_capacity` in the input says how such a unit counts.
   */
  housing_free: number | null;
  /** Raw criterion values as computed by the server; a missing value counts as district average. */
  criteria: CriterionValues;
}

export type LegalKeyUnitInput = Pick<
  AllocationUnit,
  'key' | 'name' | 'population' | 'population_date' | 'prior_intake' | 'shared_accommodation_places'
>;

export interface LegalKeyOptions {
  /** Persons credited per shared-accommodation place already run by a unit; 0 (default) = off. */
  shared_accommodation_credit?: number;
}

export interface LegalKeySeat {
  key: string;
  name: string;
  population: number;
  population_date: string | null;
  /** Prior intake plus credited shared-accommodation places. */
  credited_intake: number;
  /** Exact share of N in persons (a rational number, shown as a float). */
  quota: number;
  floor: number;
  remainder: number;
  seats: number;
}

export interface LegalKeyResult {
  n: number;
  /** Units sorted by key. */
  units: LegalKeySeat[];
}

/** `unknown_capacity`: the cap of a unit without a capacity report counted as no room. */
export type BoundKind = 'minimum' | 'maximum' | 'housing_cap' | 'unknown_capacity' | 'excluded' | 'max_deviation';

/**
 * How units whose housing places are unknown (never reported) count: as no room (`none`, the
 * default: unknown places cannot be promised) or without a housing cap (`unlimited`).
 */
export const UNKNOWN_CAPACITY_POLICIES = ['none', 'unlimited'] as const;
export type UnknownCapacity = (typeof UNKNOWN_CAPACITY_POLICIES)[number];
export const DEFAULT_UNKNOWN_CAPACITY: UnknownCapacity = 'none';

export interface MaxDeviation {
  unit: 'percent' | 'persons';
  value: number;
}

export interface SuggestionInput extends LegalKeyOptions {
  units: AllocationUnit[];
  n: number;
  weights: CriterionWeights;
  /** Per-unit minimum and maximum in persons, by unit key. */
  bounds?: Record<string, { min?: number; max?: number }>;
  excluded?: string[];
  max_deviation?: MaxDeviation;
  /** How units with unknown housing places count; default `none`. */
  unknown_capacity?: UnknownCapacity;
}

export interface CriterionContribution {
  criterion: CriterionKey;
  value: number | null;
  /** log2 of the per-capita value relative to the district mean, clipped to [-2, 2]. */
  score: number;
  weight: number;
  /** Factor this criterion applies to the legal quota: 2^(weight * direction * score). */
  factor: number;
}

export interface UnitSuggestion {
  key: string;
  name: string;
  population_date: string | null;
  legal_quota: number;
  legal_seats: number;
  multiplier: number;
  contributions: CriterionContribution[];
  /** Legal quota times multiplier, renormalised to N, before bounds. */
  target: number;
  /** Real-valued allocation after projection onto the bounds, before rounding. */
  bounded_target: number;
  lower_bound: number;
  /** Infinity (null in JSON) when nothing caps the unit: unknown capacity counted as unlimited. */
  upper_bound: number;
  /** Bounds that hold the unit away from where the criteria alone would put it. */
  binding: BoundKind[];
  seats: number;
  deviation_persons: number;
  /** Null when the legal key gives the unit no seat. */
  deviation_percent: number | null;
}

export interface BindingConstraint {
  unit_key: string;
  kind: BoundKind;
  value: number;
}

export interface Infeasibility {
  reason: 'conflicting_bounds' | 'minimums_exceed_total' | 'insufficient_capacity';
  /** Persons missing: that cannot be placed, or by which the minimums exceed N. */
  shortfall: number;
  binding: BindingConstraint[];
}

export type SuggestionResult =
  | { ok: true; n: number; overflow: boolean; units: UnitSuggestion[] }
  | { ok: false; infeasibility: Infeasibility };
