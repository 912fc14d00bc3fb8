import {
  AllocationProblemType,
  DEFAULT_TIME_LIMIT,
  DEFAULT_UNKNOWN_CAPACITY,
  computeLegalKey,
  groupProfiles,
  parseHouseholdCsv,
  suggestAllocation,
  totalPersons,
  type AggregateRequest,
  type AllocationInputs,
  type AllocationInputUnit,
  type Suggestion as ApiSuggestion,
  type FieldError,
  type HouseholdProfile,
  type HouseholdProfileInput,
  type HouseholdsRequest,
  type InfeasibleMembers,
  type MatchingProblem,
  type SuggestRequest,
} from '@ilk/core';
import type { Queryable } from '../db/index.ts';
import { HttpProblem, badRequest, notFound } from '../errors.ts';
import { findKreis, unitInputs } from '../repositories/allocation-inputs.repository.ts';
import { matchHouseholds } from './household-matching.ts';

/** A suggestion as the API sends it, with the request as computed (kept with saved plans). */
export interface Suggestion extends ApiSuggestion {
  /** The request as computed: CSV parsed into profiles, period and time limit filled in. */
  request: SuggestRequest;
}

/** A problem with members beyond RFC 9457's standard ones: the engine's report. */
export class AllocationProblem extends HttpProblem {
  constructor(status: number, type: string, title: string, detail: string, members: Record<string, unknown>) {
    super(status, type, title, detail, undefined, members);
  }
}

/**
 * 422 with the engine's report of why no allocation exists, in an `infeasibility` member, and
 * beside it the legal key with the inputs it was computed from: the key is owed whatever the
 * capacities, so a coordinator always has it (docs/allocation.md, "Unknown capacities").
 */
export const infeasible = (members: InfeasibleMembers) =>
  new AllocationProblem(422, AllocationProblemType.infeasible, 'No allocation satisfies the constraints',
    `infeasible: ${members.infeasibility.reason}, shortfall ${members.infeasibility.shortfall} persons`, { ...members });

/** The year of the office's calendar (Europe/Berlin), the default crediting period. */
export const currentYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()));

export async function loadInputs(db: Queryable, kreisArs: string, period: number): Promise<AllocationInputs> {
  const kreis = await findKreis(db, kreisArs);
  if (!kreis) throw notFound(`Kreis ${kreisArs}`);
  const units = await unitInputs(db, kreisArs, period);
  const newest = units.map((u) => u.data_as_of).filter((d): d is string => d !== null).sort().at(-1) ?? null;
  return { kreis: kreis.ars, kreis_name: kreis.name, period, data_as_of: newest, units };
}

/** The engine validates too, with RangeError; that is the client's mistake, so 400. */
function engineError(err: unknown): unknown {
  return err instanceof RangeError ? badRequest(err.message) : err;
}

function engine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw engineError(err);
  }
}

/** Bounds and exclusions must name units of this Kreis: say which do not. */
function checkUnitKeys(units: readonly AllocationInputUnit[], request: AggregateRequest): void {
  const keys = new Set(units.map((u) => u.key));
  const errors: FieldError[] = [
    ...Object.keys(request.bounds ?? {}).filter((k) => !keys.has(k)).map((k) => ({ field: `/bounds/${k}`, message: 'is not an allocation unit of the Kreis' })),
    ...(request.excluded ?? []).flatMap((k, i) => (keys.has(k) ? [] : [{ field: `/excluded/${i}`, message: 'is not an allocation unit of the Kreis' }])),
  ];
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
}

function suggestAggregate(inputs: AllocationInputs, request: AggregateRequest): Omit<Suggestion, 'request' | 'inputs'> {
  checkUnitKeys(inputs.units, request);
  const options = { shared_accommodation_credit: request.shared_accommodation_credit ?? 0 };
  const result = engine(() =>
    suggestAllocation({
      units: inputs.units,
      n: request.n,
      weights: request.weights,
      ...(request.bounds ? { bounds: request.bounds } : {}),
      ...(request.excluded ? { excluded: request.excluded } : {}),
      ...(request.max_deviation ? { max_deviation: request.max_deviation } : {}),
      unknown_capacity: request.unknown_capacity ?? DEFAULT_UNKNOWN_CAPACITY,
      ...options,
    }),
  );
  const legal_key = engine(() => computeLegalKey(inputs.units, request.n, options));
  if (!result.ok) throw infeasible({ infeasibility: result.infeasibility, legal_key, inputs });
  return { result, legal_key };
}

const fullProfile = (p: HouseholdProfileInput): HouseholdProfile => ({
  size: p.size,
  children_0_2: p.children_0_2 ?? 0,
  children_3_5: p.children_3_5 ?? 0,
  children_6_17: p.children_6_17 ?? 0,
  languages: p.languages ?? [],
  needs_barrier_free: p.needs_barrier_free ?? false,
  needs_medical: p.needs_medical ?? false,
});

/** The profiles of a households request, from JSON or a pasted CSV; errors name line and column. */
export function householdProfiles(request: HouseholdsRequest): HouseholdProfile[] {
  if ((request.households === undefined) === (request.csv === undefined)) {
    throw badRequest('send either households or csv', [{ field: '/households', message: 'send either households or csv, not both or neither' }]);
  }
  const profiles = request.households
    ? request.households.map(fullProfile)
    : parseCsv(request.csv!);
  const errors: FieldError[] = profiles.flatMap((p, i) => {
    const children = p.children_0_2 + p.children_3_5 + p.children_6_17;
    return children > p.size ? [{ field: `/households/${i}`, message: `${children} children in a household of ${p.size}` }] : [];
  });
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  return profiles;
}

function parseCsv(csv: string): HouseholdProfile[] {
  const { profiles, errors } = parseHouseholdCsv(csv);
  if (errors.length === 0 && profiles.length > 0) return profiles;
  const fieldErrors = errors.length
    ? errors.map((e) => ({ field: '/csv', message: `line ${e.row}${e.column ? `, column ${e.column}` : ''}: ${e.message}` }))
    : [{ field: '/csv', message: 'contains no household' }];
  throw badRequest(fieldErrors.map((e) => `${e.field} ${e.message}`).join('; '), fieldErrors);
}

export function matchingProblem(inputs: AllocationInputs, request: HouseholdsRequest): MatchingProblem {
  return {
    units: inputs.units,
    groups: groupProfiles(request.households!.map(fullProfile)),
    weights: request.weights,
    ...(request.max_deviation ? { max_deviation: request.max_deviation } : {}),
    shared_accommodation_credit: request.shared_accommodation_credit ?? 0,
    unknown_capacity: request.unknown_capacity ?? DEFAULT_UNKNOWN_CAPACITY,
  };
}

async function suggestHouseholds(inputs: AllocationInputs, request: HouseholdsRequest): Promise<Omit<Suggestion, 'request' | 'inputs'>> {
  const problem = matchingProblem(inputs, request);
  const outcome = await matchHouseholds(problem, request.time_limit ?? DEFAULT_TIME_LIMIT).catch((err: unknown) => {
    throw engineError(err);
  });
  const legal_key = engine(() => computeLegalKey(inputs.units, totalPersons(problem.groups), problem));
  if (!outcome.ok) throw infeasible({ infeasibility: outcome.infeasibility, legal_key, inputs });
  return { result: outcome.result, legal_key, solver: outcome.solver };
}

/**
 * The request with everything a later re-run needs fixed: the period, how unknown capacities
 * count (so a saved plan and its sheet state the choice), the time limit, and the profiles
 * themselves instead of CSV text.
 */
export function normaliseRequest(request: SuggestRequest): SuggestRequest {
  const period = request.period ?? currentYear();
  const unknown_capacity = request.unknown_capacity ?? DEFAULT_UNKNOWN_CAPACITY;
  if (request.mode === 'aggregate') return { ...request, period, unknown_capacity };
  const { csv: _csv, ...rest } = request;
  const households = householdProfiles(request);
  // The CSV parser admits only ISO 639-1 codes, as the schema does.
  return { ...rest, period, unknown_capacity, households: households as HouseholdProfileInput[], time_limit: request.time_limit ?? DEFAULT_TIME_LIMIT };
}

/** Loads the Kreis's inputs and runs the same engine the browser runs. */
export async function suggest(db: Queryable, raw: SuggestRequest): Promise<Suggestion> {
  const request = normaliseRequest(raw);
  return runOn(await loadInputs(db, request.kreis, request.period!), request);
}

/** Runs the engine for a normalised request on given inputs. */
export async function runOn(inputs: AllocationInputs, request: SuggestRequest): Promise<Suggestion> {
  const computed = request.mode === 'aggregate' ? suggestAggregate(inputs, request) : await suggestHouseholds(inputs, request);
  return { request, inputs, ...computed };
}
