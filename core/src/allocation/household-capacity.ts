import { deviationPersons, housingCap } from './bounds.ts';
import { childrenUnder6, totalPersons, type HouseholdProfile, type MatchingProblem } from './households.ts';
import { computeLegalKey } from './legal-key.ts';

/** What one unit can still take, in persons or places; Infinity where nothing is reported. */
export interface UnitCapacity {
  housing: number;
  /**
   * A unit that reported housing but no barrier-free places has none: a household that needs
   * them must get them. A unit that never reported counts as its housing does.
   */
  barrier_free: number;
  /** Kita places for children under six; unconstrained when the unit reports no value. */
  kita: number;
  school: number;
  /** Persons allowed by the band around the legal key. */
  band_lo: number;
  band_hi: number;
}

/** Capacities in the order of `problem.units`; the band uses the legal key for all persons. */
export function unitCapacities(problem: MatchingProblem): UnitCapacity[] {
  const persons = totalPersons(problem.groups);
  const legal = new Map(
    computeLegalKey(problem.units, persons, problem).units.map((seat) => [seat.key, seat.seats]),
  );
  return problem.units.map((unit) => {
    const seats = legal.get(unit.key) ?? 0;
    const deviation = deviationPersons(problem.max_deviation, seats);
    const housing = housingCap(unit, problem.unknown_capacity);
    const unknown = unit.housing_free === null;
    return {
      housing,
      barrier_free: unknown ? housing : (unit.housing_free_barrier_free ?? 0),
      kita: unit.criteria.kita_free ?? Infinity,
      school: unit.criteria.school_free ?? Infinity,
      // The band yields to the housing cap, as in the suggestion (docs/allocation.md, section 3):
      // a unit cannot be made to take more persons than it has places for.
      band_lo: Math.max(0, Math.min(seats - deviation, housing)),
      band_hi: seats + deviation,
    };
  });
}

/** Whether a single household of this profile fits into an otherwise empty unit. */
export function fitsAlone(profile: HouseholdProfile, capacity: UnitCapacity): boolean {
  return (
    profile.size <= capacity.housing &&
    profile.size <= capacity.band_hi &&
    (!profile.needs_barrier_free || profile.size <= capacity.barrier_free) &&
    childrenUnder6(profile) <= capacity.kita &&
    profile.children_6_17 <= capacity.school
  );
}

/** Takes one household out of a capacity (in place). */
export function consume(capacity: UnitCapacity, profile: HouseholdProfile): void {
  capacity.housing -= profile.size;
  capacity.band_hi -= profile.size;
  capacity.band_lo -= profile.size;
  if (profile.needs_barrier_free) capacity.barrier_free -= profile.size;
  capacity.kita -= childrenUnder6(profile);
  capacity.school -= profile.children_6_17;
}

/**
 * The most households of one profile that a unit can take, each of its rows taken alone:
 * ⌊places / need⌋ for housing, the band, barrier-free, Kita and school places, and never more
 * than the group has. Every integer solution satisfies it, so it is a valid bound on x_g_u,
 * tighter than the group's count wherever a unit is small.
 */
export function maxHouseholds(profile: HouseholdProfile, capacity: UnitCapacity, count: number): number {
  const limits = [
    count,
    capacity.housing / profile.size,
    capacity.band_hi / profile.size,
    profile.needs_barrier_free ? capacity.barrier_free / profile.size : Infinity,
    childrenUnder6(profile) > 0 ? capacity.kita / childrenUnder6(profile) : Infinity,
    profile.children_6_17 > 0 ? capacity.school / profile.children_6_17 : Infinity,
  ];
  return Math.max(0, Math.floor(Math.min(...limits)));
}
