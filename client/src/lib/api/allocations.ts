import type {
  AggregateRequest,
  GroupPlacement,
  HouseholdsRequest,
  Plan,
  PlanComparison,
  PlanStatus,
  PlanSummary,
  Suggestion,
} from '@ilk/core';
import { PROBLEM_BASE } from '@ilk/core/problems';
import { getJson, request, withQuery, type ApiResult } from './client.ts';

// The API's shapes are defined once, in core/src/allocation/api.ts, for the server and this client.
export type {
  AggregateRequest,
  AggregateResult,
  AllocationInputs,
  AllocationInputUnit,
  AnyInfeasibility,
  InfeasibleMembers,
  HouseholdInfeasibility,
  HouseholdResult,
  HouseholdUnitResult,
  HouseholdsRequest,
  Plan,
  PlanComparison,
  PlanSide,
  PlanStatus,
  PlanSummary,
  PlanUnit,
  SolverReport,
  Suggestion,
} from '@ilk/core';
export type SuggestRequest = AggregateRequest | HouseholdsRequest;

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

export const decidePlan = (id: number, etag: string, justification: string): Promise<ApiResult<Plan>> =>
  request<Plan>('POST', `${BASE}/plans/${id}/decide`, { ifMatch: etag, body: { justification } });

export async function deletePlan(id: number, etag: string): Promise<void> {
  await request<void>('DELETE', `${BASE}/plans/${id}`, { ifMatch: etag });
}

export const comparePlans = (id: number, other: number, signal?: AbortSignal) =>
  getJson<PlanComparison>(`${BASE}/plans/${id}/compare/${other}`, signal);

// Plain links: the browser sends the session cookie, so they download or print without script.
export const planExportUrl = (id: number, format: 'csv' | 'geojson') => `${BASE}/plans/${id}/export.${format}`;
export const planSheetUrl = (id: number) => `${BASE}/plans/${id}/sheet`;
