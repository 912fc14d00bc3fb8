import type {
  AllocationUnit,
  BindingConstraint,
  BoundKind,
  Infeasibility,
  MaxDeviation,
  SuggestionInput,
  UnknownCapacity,
} from './types.ts';
import { DEFAULT_UNKNOWN_CAPACITY } from './types.ts';

export interface UnitBounds {
  lo: number;
  hi: number;
  lo_kinds: BoundKind[];
  hi_kinds: BoundKind[];
  /** Set when an explicit minimum exceeds a hard cap: no allocation can satisfy both. */
  conflict: { cap: number; cap_kinds: BoundKind[] } | null;
}

/** Allowed deviation in whole persons; percent is of the legal seats, rounded down so the
 * declared percentage is never exceeded. */
export function deviationPersons(deviation: MaxDeviation | undefined, legalSeats: number): number {
  if (!deviation) return Infinity;
  const persons = deviation.unit === 'persons' ? deviation.value : (legalSeats * deviation.value) / 100;
  return Math.floor(persons + 1e-9);
}

/**
 * The unit's free housing places as a cap: the reported number, or for a unit that never
 * reported, what the coordinator chose (no room: 0; unlimited: no cap). Unknown is never
 * silently 0: the bound kind names it (`unknown_capacity`) so reports can say so.
 */
export function housingCap(unit: Pick<AllocationUnit, 'housing_free'>, policy: UnknownCapacity | undefined): number {
  if (unit.housing_free !== null) return unit.housing_free;
  return (policy ?? DEFAULT_UNKNOWN_CAPACITY) === 'unlimited' ? Infinity : 0;
}

/**
 * Integer bounds of one unit. Exclusion, free housing and an explicit maximum are hard caps; an
 * explicit minimum is hard too. The deviation band is an accountability rule around the legal
 * key and yields where it contradicts a hard bound: a unit cannot be made to take its legal
 * share minus the band if it has no housing for it, and an explicit minimum may exceed the band.
 */
export function unitBounds(
  unit: AllocationUnit,
  legalSeats: number,
  input: Pick<SuggestionInput, 'bounds' | 'excluded' | 'max_deviation' | 'unknown_capacity'>,
): UnitBounds {
  const explicit = input.bounds?.[unit.key] ?? {};
  const excluded = input.excluded?.includes(unit.key) ?? false;
  const deviation = deviationPersons(input.max_deviation, legalSeats);
  const min = explicit.min ?? 0;
  const max = explicit.max ?? Infinity;
  const housing = housingCap(unit, input.unknown_capacity);
  const hardHi = excluded ? 0 : Math.min(housing, max);
  const bandLo = Math.min(legalSeats - deviation, hardHi);
  const bandHi = Math.max(legalSeats + deviation, min);
  const lo = Math.max(min, bandLo, 0);
  const hi = Math.max(Math.min(hardHi, bandHi), lo);
  const lo_kinds: BoundKind[] = [];
  if (lo > 0 && lo === min) lo_kinds.push('minimum');
  if (lo > 0 && lo === bandLo) lo_kinds.push('max_deviation');
  const capKinds = (value: number): BoundKind[] => {
    if (excluded) return ['excluded'];
    // Unlimited: nothing caps the unit, so no bound kind can bind.
    if (value === Infinity) return [];
    const kinds: BoundKind[] = [];
    if (value === housing) kinds.push(unit.housing_free === null ? 'unknown_capacity' : 'housing_cap');
    if (value === max) kinds.push('maximum');
    return kinds;
  };
  const hi_kinds = capKinds(hi);
  if (hi === bandHi && hi !== Infinity) hi_kinds.push('max_deviation');
  const conflict = min > hardHi ? { cap: hardHi, cap_kinds: capKinds(hardHi) } : null;
  return { lo, hi, lo_kinds, hi_kinds, conflict };
}

function constraints(key: string, kinds: BoundKind[], value: number): BindingConstraint[] {
  return kinds.map((kind) => ({ unit_key: key, kind, value }));
}

/** Why n persons cannot be placed within the bounds, or null if they can. */
export function infeasibility(
  units: readonly AllocationUnit[],
  bounds: readonly UnitBounds[],
  n: number,
): Infeasibility | null {
  const conflicts = units.flatMap((unit, i) => {
    const { lo, conflict } = bounds[i]!;
    return conflict ? [{ key: unit.key, lo, ...conflict }] : [];
  });
  if (conflicts.length > 0) {
    return {
      reason: 'conflicting_bounds',
      shortfall: conflicts.reduce((sum, c) => sum + c.lo - c.cap, 0),
      binding: conflicts.flatMap((c) => [
        ...constraints(c.key, ['minimum'], c.lo),
        ...constraints(c.key, c.cap_kinds, c.cap),
      ]),
    };
  }
  const lower = bounds.reduce((sum, b) => sum + b.lo, 0);
  if (lower > n) {
    return {
      reason: 'minimums_exceed_total',
      shortfall: lower - n,
      binding: units.flatMap((unit, i) => constraints(unit.key, bounds[i]!.lo_kinds, bounds[i]!.lo)),
    };
  }
  const upper = bounds.reduce((sum, b) => sum + b.hi, 0);
  if (upper < n) {
    return {
      reason: 'insufficient_capacity',
      shortfall: n - upper,
      binding: units.flatMap((unit, i) => constraints(unit.key, bounds[i]!.hi_kinds, bounds[i]!.hi)),
    };
  }
  return null;
}
