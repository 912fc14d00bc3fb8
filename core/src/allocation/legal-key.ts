import type { LegalKeyOptions, LegalKeyResult, LegalKeyUnitInput } from './types.ts';
import { assertNonNegative, validateLegalKeyInput } from './validate.ts';

// All arithmetic is exact: credited intakes are scaled by the denominator of the credit factor,
// so every quota is an integer numerator over one common denominator and remainders compare as
// BigInt. Two remainders that are equal on paper are therefore equal here, and the tie-break by
// key decides them, as the rule says.

interface Exact {
  population: bigint;
  /** Credited intake times `scale`. */
  credited: bigint;
}

/** The credit factor as a fraction with a denominator of at most 10^6 (six decimals). */
export function creditFraction(factor: number): { num: bigint; den: bigint } {
  assertNonNegative(factor, 'shared_accommodation_credit');
  let num = BigInt(Math.round(factor * 1e6));
  let den = 1_000_000n;
  const divisor = gcd(num, den);
  num /= divisor;
  den /= divisor;
  return { num, den };
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

export function byKey<T extends { key: string }>(a: T, b: T): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * The units that receive persons, in order of their credited intake per inhabitant. Filling up
 * from the lowest level, a unit joins while its own level lies below the common level reached
 * so far; units already above it are clamped to zero (see docs/allocation.md, "clamp rule").
 */
function activeUnits(exact: Exact[], keys: string[], total: bigint): number[] {
  const order = exact
    .map((_, i) => i)
    .filter((i) => exact[i]!.population > 0n)
    .sort((i, j) => {
      const a = exact[i]!;
      const b = exact[j]!;
      const diff = a.credited * b.population - b.credited * a.population;
      return diff < 0n ? -1 : diff > 0n ? 1 : byKey({ key: keys[i]! }, { key: keys[j]! });
    });
  let credited = 0n;
  let population = 0n;
  const active: number[] = [];
  for (const i of order) {
    const unit = exact[i]!;
    if (active.length > 0 && unit.credited * population >= (total + credited) * unit.population) break;
    credited += unit.credited;
    population += unit.population;
    active.push(i);
  }
  return active;
}

/**
 * Apportions n persons over the units by population with crediting of prior intake
 * (largest remainders, Hare-Niemeyer; ties by key ascending). Units come back sorted by key.
 */
export function computeLegalKey(
  input: readonly LegalKeyUnitInput[],
  n: number,
  options: LegalKeyOptions = {},
): LegalKeyResult {
  validateLegalKeyInput(input, n);
  const units = [...input].sort(byKey);
  const credit = creditFraction(options.shared_accommodation_credit ?? 0);
  const exact: Exact[] = units.map((unit) => ({
    population: BigInt(unit.population),
    credited:
      BigInt(unit.prior_intake) * credit.den + BigInt(unit.shared_accommodation_places ?? 0) * credit.num,
  }));
  const total = BigInt(n) * credit.den;
  const active = activeUnits(
    exact,
    units.map((unit) => unit.key),
    total,
  );
  let activeCredited = 0n;
  let activePopulation = 0n;
  for (const i of active) {
    activeCredited += exact[i]!.credited;
    activePopulation += exact[i]!.population;
  }
  if (activePopulation === 0n && n > 0) throw new RangeError('no unit has inhabitants');
  // quota_i = P_i * (N + C_active) / P_active - c_i, over the common denominator den * P_active.
  const denominator = credit.den * (activePopulation === 0n ? 1n : activePopulation);
  const numerators = exact.map(() => 0n);
  for (const i of active) {
    const unit = exact[i]!;
    numerators[i] = unit.population * (total + activeCredited) - unit.credited * activePopulation;
  }
  const seats = largestRemainders(numerators, denominator, n);
  return {
    n,
    units: units.map((unit, i) => {
      const floor = numerators[i]! / denominator;
      const remainder = Number(numerators[i]! % denominator) / Number(denominator);
      return {
        key: unit.key,
        name: unit.name,
        population: unit.population,
        population_date: unit.population_date ?? null,
        credited_intake: Number(exact[i]!.credited) / Number(credit.den),
        quota: Number(floor) + remainder,
        floor: Number(floor),
        remainder,
        seats: seats[i]!,
      };
    }),
  };
}

/** Floors plus one seat each for the largest remainders; indices are already in key order. */
function largestRemainders(numerators: bigint[], denominator: bigint, n: number): number[] {
  const seats = numerators.map((num) => Number(num / denominator));
  const missing = n - seats.reduce((sum, s) => sum + s, 0);
  const order = numerators
    .map((num, i) => ({ i, remainder: num % denominator }))
    .sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.i - b.i));
  for (const { i } of order.slice(0, missing)) seats[i]! += 1;
  return seats;
}
