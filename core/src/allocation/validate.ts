import type { LegalKeyUnitInput, SuggestionInput } from './types.ts';
import { CRITERION_KEYS } from './types.ts';

// Weights above this would let 2^(sum of weighted scores) leave the range where factors are
// meaningful; the slider range of the client is [0, 1], so the limit is generous.
export const MAX_WEIGHT = 10;

export function assertCount(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer, got ${value}`);
  }
}

export function assertNonNegative(value: number, label: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${label} must be a finite non-negative number, got ${value}`);
  }
}

export function validateLegalKeyInput(units: readonly LegalKeyUnitInput[], n: number): void {
  assertCount(n, 'n');
  const seen = new Set<string>();
  for (const unit of units) {
    if (seen.has(unit.key)) throw new RangeError(`duplicate unit key ${unit.key}`);
    seen.add(unit.key);
    assertCount(unit.population, `population of ${unit.key}`);
    assertCount(unit.prior_intake, `prior_intake of ${unit.key}`);
    assertCount(unit.shared_accommodation_places ?? 0, `shared_accommodation_places of ${unit.key}`);
  }
}

export function validateSuggestionInput(input: SuggestionInput): void {
  validateLegalKeyInput(input.units, input.n);
  const keys = new Set(input.units.map((unit) => unit.key));
  for (const unit of input.units) {
    if (unit.housing_free !== null) assertCount(unit.housing_free, `housing_free of ${unit.key}`);
    for (const criterion of CRITERION_KEYS) {
      const value = unit.criteria[criterion];
      if (value !== undefined) assertNonNegative(value, `${criterion} of ${unit.key}`);
    }
  }
  for (const criterion of CRITERION_KEYS) {
    const weight = input.weights[criterion] ?? 0;
    assertNonNegative(weight, `weight of ${criterion}`);
    if (weight > MAX_WEIGHT) throw new RangeError(`weight of ${criterion} exceeds ${MAX_WEIGHT}`);
  }
  for (const [key, bound] of Object.entries(input.bounds ?? {})) {
    if (!keys.has(key)) throw new RangeError(`bounds name unknown unit ${key}`);
    if (bound.min !== undefined) assertCount(bound.min, `minimum of ${key}`);
    if (bound.max !== undefined) assertCount(bound.max, `maximum of ${key}`);
  }
  for (const key of input.excluded ?? []) {
    if (!keys.has(key)) throw new RangeError(`excluded names unknown unit ${key}`);
  }
  if (input.max_deviation) assertNonNegative(input.max_deviation.value, 'max_deviation');
  assertUnknownCapacity(input.unknown_capacity);
}

export function assertUnknownCapacity(policy: unknown): void {
  if (policy !== undefined && policy !== 'none' && policy !== 'unlimited') {
    throw new RangeError(`unknown_capacity must be 'none' or 'unlimited', got ${String(policy)}`);
  }
}
