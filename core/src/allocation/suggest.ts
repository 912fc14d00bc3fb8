import { unitBounds, infeasibility } from './bounds.ts';
import { multipliers, scoreTable } from './criteria.ts';
import { explainUnit } from './explain.ts';
import { byKey, computeLegalKey } from './legal-key.ts';
import { project } from './project.ts';
import { roundWithinBounds } from './round.ts';
import type { LegalKeySeat, SuggestionInput, SuggestionResult } from './types.ts';
import { validateSuggestionInput } from './validate.ts';

/**
 * Need-based allocation suggestion: the legal key adjusted by weighted local criteria, projected
 * onto the bounds and rounded to whole persons summing exactly to n. Units come back sorted by
 * key. Pure and deterministic; O(n log n). See docs/allocation.md.
 */
export function suggestAllocation(input: SuggestionInput): SuggestionResult {
  validateSuggestionInput(input);
  const units = [...input.units].sort(byKey);
  const legal = computeLegalKey(units, input.n, input).units;
  const bounds = units.map((unit, i) => unitBounds(unit, legal[i]!.seats, input));
  const problem = infeasibility(units, bounds, input.n);
  if (problem) return { ok: false, infeasibility: problem };

  const scores = scoreTable(units);
  const factor = multipliers(scores, input.weights, units.length);
  const lo = bounds.map((b) => b.lo);
  const hi = bounds.map((b) => b.hi);
  const primary = legal.map((seat, i) => seat.quota * factor[i]!);
  // Units without a legal quota weigh by population; one inhabitant at least, so that a unit
  // with free places is never unreachable.
  const overflow = legal.map((seat, i) => (seat.quota > 0 ? 0 : Math.max(seat.population, 1) * factor[i]!));
  const weightedTotal = primary.reduce((sum, p) => sum + p, 0);
  const normalise = weightedTotal > 0 ? input.n / weightedTotal : 0;

  const neutral = isNeutral(factor, legal, lo, hi);
  const projection = neutral
    ? { x: legal.map((seat) => seat.seats), desired: legal.map((seat) => seat.seats), overflow: false }
    : project(primary, overflow, lo, hi, input.n);
  const seats = neutral ? legal.map((seat) => seat.seats) : roundWithinBounds(projection.x, lo, hi, input.n);

  return {
    ok: true,
    n: input.n,
    overflow: projection.overflow,
    units: units.map((unit, i) =>
      explainUnit({
        unit,
        index: i,
        legal: legal[i]!,
        bounds: bounds[i]!,
        scores,
        weights: input.weights,
        multiplier: factor[i]!,
        target: primary[i]! * normalise,
        bounded_target: projection.x[i]!,
        desired: projection.desired[i]!,
        seats: seats[i]!,
      }),
    ),
  };
}

/**
 * With every multiplier exactly 1 and the legal seats inside all bounds, the suggestion is the
 * legal key itself, taken from its exact arithmetic rather than re-derived in floating point.
 */
function isNeutral(
  factor: readonly number[],
  legal: readonly LegalKeySeat[],
  lo: readonly number[],
  hi: readonly number[],
): boolean {
  return legal.every((seat, i) => factor[i] === 1 && seat.seats >= lo[i]! && seat.seats <= hi[i]!);
}
