// From the planning scenario (plan-url.ts) to what the engine and the API take. Pure functions,
// unit-tested: the browser's live suggestion and the request the server checks a saved plan
// against are built from the same scenario by the same code.
import type { AggregateRequest, HouseholdProfileInput, HouseholdsRequest } from '@ilk/core';
import type { AllocationUnit, CriterionWeights, SuggestionInput } from '@ilk/core/allocation/types';
import { CRITERION_KEYS, DEFAULT_UNKNOWN_CAPACITY } from '@ilk/core/allocation/types';
import type { HouseholdProfile, MatchingWeights } from '@ilk/core/allocation/households';
import { ISO_639_1 } from '@ilk/core/iso639';
import { jsonEqual } from '@ilk/core/history';
import type { PlanView } from './plan-url.ts';

export const MAX_PERSONS = 1_000_000;

const isCount = (v: unknown, max = MAX_PERSONS): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;

export const criterionWeights = (plan: PlanView): CriterionWeights =>
  Object.fromEntries(CRITERION_KEYS.map((k) => [k, plan.weights[k]])) as CriterionWeights;

export const matchingWeights = (plan: PlanView): MatchingWeights => ({ ...criterionWeights(plan), language_match: plan.weights.language_match });

/** Bounds and exclusions of units that exist; a link from another Kreis names none of them. */
function constraints(plan: PlanView, keys: ReadonlySet<string>) {
  const bounds: Record<string, { min?: number; max?: number }> = {};
  for (const [key, b] of Object.entries(plan.bounds)) {
    if (!keys.has(key) || (b.min === undefined && b.max === undefined)) continue;
    bounds[key] = { ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) };
  }
  return { bounds, excluded: plan.excluded.filter((k) => keys.has(k)) };
}

/** The scenario's global options, written only when set, as the server would normalise them. */
function options(plan: PlanView) {
  return {
    ...(plan.maxDeviation ? { max_deviation: { ...plan.maxDeviation } } : {}),
    ...(plan.credit > 0 ? { shared_accommodation_credit: plan.credit } : {}),
    ...(plan.unknownCapacity !== 'none' ? { unknown_capacity: plan.unknownCapacity } : {}),
  };
}

/**
 * Would a plan saved from `request` on `units` be `saved` again? The same request (the server
 * stores an absent unknown_capacity as its default) on the same units' inputs gives the same result.
 */
export function repeatsPlan(request: AggregateRequest, units: readonly unknown[], saved: { request: unknown; units: readonly unknown[] }): boolean {
  const normalised = { ...request, unknown_capacity: request.unknown_capacity ?? DEFAULT_UNKNOWN_CAPACITY };
  // Structural equality: a request read back from the database has its own key order.
  return jsonEqual(normalised, saved.request) && jsonEqual(units, saved.units);
}

/** The engine's input, or null while N is not a whole number of persons. */
export function engineInput(units: readonly AllocationUnit[], plan: PlanView): SuggestionInput | null {
  if (!isCount(plan.n)) return null;
  const { bounds, excluded } = constraints(plan, new Set(units.map((u) => u.key)));
  return {
    units: [...units],
    n: plan.n,
    weights: criterionWeights(plan),
    ...(Object.keys(bounds).length ? { bounds } : {}),
    ...(excluded.length ? { excluded } : {}),
    ...options(plan),
  };
}

export function aggregateRequest(kreis: string, period: number, units: readonly AllocationUnit[], plan: PlanView): AggregateRequest {
  const { bounds, excluded } = constraints(plan, new Set(units.map((u) => u.key)));
  return {
    kreis, period, mode: 'aggregate', n: plan.n, weights: criterionWeights(plan),
    ...(Object.keys(bounds).length ? { bounds } : {}),
    ...(excluded.length ? { excluded } : {}),
    ...options(plan),
  } as AggregateRequest;
}

export function householdsRequest(kreis: string, period: number, plan: PlanView, profiles: readonly HouseholdProfile[]): HouseholdsRequest {
  return {
    kreis, period, mode: 'households', households: profiles.map((p) => ({ ...p, languages: [...p.languages] })) as HouseholdProfileInput[],
    weights: matchingWeights(plan), ...options(plan),
  } as HouseholdsRequest;
}

/** One row of the household table as the inputs hold it (number inputs give null when empty). */
export interface HouseholdRow {
  size: number | null;
  children_0_2: number | null;
  children_3_5: number | null;
  children_6_17: number | null;
  /** ISO 639-1 codes separated by commas or spaces. */
  languages: string;
  needs_barrier_free: boolean;
  needs_medical: boolean;
}

export type RowField = 'size' | 'children_0_2' | 'children_3_5' | 'children_6_17' | 'languages';
export type RowProblem = 'size' | 'count' | 'children' | 'language';

export interface RowError {
  /** 0-based index of the row. */
  row: number;
  field: RowField;
  problem: RowProblem;
  /** Unknown language codes, for the message. */
  detail?: string;
}

export const emptyRow = (): HouseholdRow => ({
  size: 1, children_0_2: 0, children_3_5: 0, children_6_17: 0, languages: '', needs_barrier_free: false, needs_medical: false,
});

export const rowOfProfile = (p: HouseholdProfile): HouseholdRow => ({ ...p, languages: p.languages.join(', ') });

const LANGUAGES = new Set<string>(ISO_639_1);
const codes = (text: string) => text.toLowerCase().split(/[\s,;/+|]+/).filter(Boolean);

/** Profiles of the rows, with every problem named by row and field (the same rules as the CSV). */
export function rowsToProfiles(rows: readonly HouseholdRow[]): { profiles: HouseholdProfile[]; errors: RowError[] } {
  const profiles: HouseholdProfile[] = [];
  const errors: RowError[] = [];
  rows.forEach((r, row) => {
    const before = errors.length;
    if (!isCount(r.size, 99) || r.size < 1) errors.push({ row, field: 'size', problem: 'size' });
    for (const field of ['children_0_2', 'children_3_5', 'children_6_17'] as const) {
      if (r[field] !== null && r[field] !== undefined && !isCount(r[field], 99)) errors.push({ row, field, problem: 'count' });
    }
    const languages = codes(r.languages);
    const unknown = languages.filter((c) => !LANGUAGES.has(c));
    if (unknown.length) errors.push({ row, field: 'languages', problem: 'language', detail: unknown.join(', ') });
    if (errors.length > before) return;
    const profile: HouseholdProfile = {
      size: r.size!, children_0_2: r.children_0_2 ?? 0, children_3_5: r.children_3_5 ?? 0, children_6_17: r.children_6_17 ?? 0,
      languages: [...new Set(languages)], needs_barrier_free: r.needs_barrier_free, needs_medical: r.needs_medical,
    };
    if (profile.children_0_2 + profile.children_3_5 + profile.children_6_17 > profile.size) {
      errors.push({ row, field: 'size', problem: 'children' });
      return;
    }
    profiles.push(profile);
  });
  return { profiles, errors };
}
