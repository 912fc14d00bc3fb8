// What the allocation API sends (docs/allocation.md): one definition for the server, which
// builds these values, and the client, which reads them. Types only: nothing here reaches the
// client's bundle.
import type { AggregateRequest, HouseholdsRequest } from '../schemas/allocations.ts';
import type { GroupPlacement, MatchingSolution } from './household-greedy.ts';
import type { HouseholdGroup } from './households.ts';
import type { CriterionValues, Infeasibility, LegalKeyResult, SuggestionResult } from './types.ts';

/** One allocation unit as the server loads it: the engine's input plus where it came from. */
export interface AllocationInputUnit {
  key: string;
  name: string;
  kreis: string;
  population: number;
  /** Absent when no Gemeinde of the unit has a reference date. */
  population_date?: string;
  /** reported_intake + decided_intake: what the legal key credits for the period. */
  prior_intake: number;
  reported_intake: number;
  decided_intake: number;
  /** 0 without a report: nothing is credited that was not reported. */
  shared_accommodation_places: number;
  /** Null when the unit never reported ("unknown", not 0); see `unknown_capacity`. */
  housing_free: number | null;
  housing_free_barrier_free: number | null;
  /** Report-based criteria are absent without a report: the engine scores them as average. */
  criteria: CriterionValues;
  /** Languages (ISO 639-1) of the offers inside the unit, for household matching. */
  languages: string[];
  /** Date of the latest capacity report; null when the unit never reported (capacity unknown). */
  report_date: string | null;
  /** When the unit came into the database: without a report, its capacity is unknown since then. */
  known_since: string;
  /** The newest change among the rows this unit's numbers were derived from. */
  data_as_of: string | null;
}

export interface AllocationInputs {
  kreis: string;
  kreis_name: string;
  period: number;
  /** The newest change among everything the units' numbers were derived from. */
  data_as_of: string | null;
  units: AllocationInputUnit[];
}

export type AggregateResult = Extract<SuggestionResult, { ok: true }>;

/** How a household placement was found, with the numbers that say how good it is. */
export interface SolverReport {
  method: 'highs' | 'heuristic';
  /** Why HiGHS was not used (heuristic only). */
  reason?: string;
  /** HiGHS model status, when HiGHS answered. */
  status: string | null;
  optimal: boolean;
  objective: number;
  /** No placement can have a higher total fit. */
  bound: number;
  /** (bound - objective) / max(1, |bound|); 0 is proven optimal. */
  gap: number;
  time_ms: number;
  time_limit: number;
}

export interface HouseholdUnitResult {
  key: string;
  name: string;
  legal_quota: number;
  legal_seats: number;
  households: number;
  /** Persons placed in the unit. */
  seats: number;
  deviation_persons: number;
  deviation_percent: number | null;
  lower_bound: number;
  upper_bound: number;
}

export interface HouseholdResult {
  ok: true;
  mode: 'households';
  n: number;
  households: number;
  groups: HouseholdGroup[];
  placements: GroupPlacement[];
  objective: number;
  /** Households the heuristic found no room for; always empty for a HiGHS placement. */
  unplaced: MatchingSolution['unplaced'];
  below_band: MatchingSolution['below_band'];
  units: HouseholdUnitResult[];
}

/** The 422 body's `infeasibility` member when no household placement exists. */
export interface HouseholdInfeasibility {
  reason: 'unplaceable_households' | 'no_feasible_placement';
  /** Persons the heuristic could not place. */
  shortfall: number;
  unplaceable: { group: number; profile: HouseholdGroup['profile']; households: number }[];
  unplaced: MatchingSolution['unplaced'];
  below_band: MatchingSolution['below_band'];
}

/** The 422 body's `infeasibility` member, aggregate or households. */
export type AnyInfeasibility = Infeasibility | HouseholdInfeasibility;

/**
 * The 422 `allocation-infeasible` body's members beyond RFC 9457: why no suggestion exists,
 * and beside it the legal key, which is owed whatever the capacities, with its inputs.
 */
export interface InfeasibleMembers<I = AnyInfeasibility> {
  infeasibility: I;
  legal_key: LegalKeyResult;
  inputs: AllocationInputs;
}

/** POST /api/allocations/suggest: the result with the inputs and legal key it was computed from. */
export interface Suggestion<R = AggregateResult | HouseholdResult> {
  inputs: AllocationInputs;
  result: R;
  legal_key: LegalKeyResult;
  solver?: SolverReport;
}

export type PlanStatus = 'draft' | 'decided';

export interface PlanSummary {
  id: number;
  kreis: string;
  kreis_name: string;
  name: string;
  mode: 'aggregate' | 'households';
  period: number;
  status: PlanStatus;
  n: number | null;
  data_as_of: string | null;
  created_by: string | null;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  /** Why the plan was decided (required for a decision since migration 013). */
  justification: string | null;
  version: number;
}

/** A unit of a stored result: an aggregate suggestion's or a household placement's. */
export interface PlanUnit {
  key: string;
  name: string;
  seats: number;
  legal_seats: number;
  legal_quota: number;
  deviation_persons: number;
  deviation_percent: number | null;
  households?: number;
}

/** The intake a decided plan recorded per unit, which later legal-key calculations credit. */
export interface PlanIntake {
  key: string;
  name: string;
  persons: number;
  period: number;
  decided_at: string;
}

/** A stored plan as GET /api/allocations/plans/:id returns it. */
export interface Plan extends PlanSummary {
  inputs: { request: AggregateRequest | HouseholdsRequest; units: AllocationInputUnit[]; legal_key: LegalKeyResult };
  result: { units: PlanUnit[] } & Record<string, unknown>;
  solver: SolverReport | null;
  intakes: PlanIntake[];
}

export interface PlanSide {
  seats: number;
  legal_seats: number;
  deviation_persons: number;
}

/** Two plans side by side per unit; units only one plan has show null on the other side. */
export interface PlanComparison {
  plan: PlanSummary;
  other: PlanSummary;
  units: { key: string; name: string; plan: PlanSide | null; other: PlanSide | null; difference: number }[];
}
