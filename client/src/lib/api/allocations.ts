import type {
  AggregateRequest,
  AllocationUnit,
  GroupPlacement,
  HouseholdGroup,
  HouseholdsRequest,
  Infeasibility,
  LegalKeyResult,
  SuggestionResult,
} from '@ilk/core';
import { PROBLEM_BASE } from '@ilk/core/problems';
import { getJson, request, withQuery, type ApiResult } from './client.ts';

export type { AggregateRequest, HouseholdsRequest };
export type SuggestRequest = AggregateRequest | HouseholdsRequest;

/** One allocation unit as the server loads it: the engine's input plus where it came from. */
export interface AllocationInputUnit extends AllocationUnit {
  kreis: string;
  reported_intake: number;
  decided_intake: number;
  shared_accommodation_places: number;
  housing_free_barrier_free: number;
  languages: string[];
  report_date: string | null;
  data_as_of: string | null;
}

export interface AllocationInputs {
  kreis: string;
  kreis_name: string;
  period: number;
  data_as_of: string | null;
  units: AllocationInputUnit[];
}

export type AggregateResult = Extract<SuggestionResult, { ok: true }>;

export interface HouseholdUnitResult {
  key: string;
  name: string;
  legal_quota: number;
  legal_seats: number;
  households: number;
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
  unplaced: { group: number; households: number }[];
  below_band: { unit_key: string; persons: number; lower: number }[];
  units: HouseholdUnitResult[];
}

export interface SolverReport {
  method: 'highs' | 'heuristic';
  reason?: string;
  status: string | null;
  optimal: boolean;
  objective: number;
  bound: number;
  gap: number;
  time_ms: number;
  time_limit: number;
}

export interface HouseholdInfeasibility {
  reason: 'unplaceable_households' | 'no_feasible_placement';
  shortfall: number;
  unplaceable: { group: number; profile: HouseholdGroup['profile']; households: number }[];
  unplaced: { group: number; households: number }[];
  below_band: { unit_key: string; persons: number; lower: number }[];
}

/** The 422 body's extension member when no allocation satisfies the constraints. */
export type AnyInfeasibility = Infeasibility | HouseholdInfeasibility;

export interface Suggestion<R> {
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

export interface Plan extends PlanSummary {
  inputs: { request: SuggestRequest; units: AllocationInputUnit[]; legal_key: LegalKeyResult };
  result: { units: PlanUnit[] } & Record<string, unknown>;
  solver: SolverReport | null;
  intakes: { key: string; name: string; persons: number; period: number; decided_at: string }[];
}

export interface PlanSide {
  seats: number;
  legal_seats: number;
  deviation_persons: number;
}

export interface PlanComparison {
  plan: PlanSummary;
  other: PlanSummary;
  units: { key: string; name: string; plan: PlanSide | null; other: PlanSide | null; difference: number }[];
}

// As core/src/schemas/allocations.ts names them; imported from there, the schemas (and their
// validator library) would come into the bundle with the constants.
export const AllocationProblemTypes = {
  infeasible: `${PROBLEM_BASE}allocation-infeasible`,
  resultMismatch: `${PROBLEM_BASE}allocation-result-mismatch`,
} as const;

const BASE = '/api/allocations';

export async function suggest<R>(body: SuggestRequest, signal?: AbortSignal): Promise<Suggestion<R>> {
  return (await request<Suggestion<R>>('POST', `${BASE}/suggest`, { body, signal })).data;
}

export const listPlans = (f: { kreis?: string; status?: PlanStatus }, signal?: AbortSignal) =>
  getJson<{ total: number; plans: PlanSummary[] }>(withQuery(`${BASE}/plans`, { ...f, limit: 200 }), signal);

export const getPlan = (id: number, signal?: AbortSignal): Promise<ApiResult<Plan>> =>
  request<Plan>('GET', `${BASE}/plans/${id}`, { signal });

export const savePlan = (name: string, req: SuggestRequest, result: { units: { key: string; seats: number }[]; placements?: GroupPlacement[] }) =>
  request<Plan>('POST', `${BASE}/plans`, { body: { name, request: req, result } });

export const decidePlan = (id: number, etag: string): Promise<ApiResult<Plan>> =>
  request<Plan>('POST', `${BASE}/plans/${id}/decide`, { ifMatch: etag });

export async function deletePlan(id: number, etag: string): Promise<void> {
  await request<void>('DELETE', `${BASE}/plans/${id}`, { ifMatch: etag });
}

export const comparePlans = (id: number, other: number, signal?: AbortSignal) =>
  getJson<PlanComparison>(`${BASE}/plans/${id}/compare/${other}`, signal);

// Plain links: the browser sends the session cookie, so they download or print without script.
export const planExportUrl = (id: number, format: 'csv' | 'geojson') => `${BASE}/plans/${id}/export.${format}`;
export const planSheetUrl = (id: number) => `${BASE}/plans/${id}/sheet`;
