import type { FastifyRequest } from 'fastify';
import { AllocationProblemType, ProblemType, type GroupPlacement, type HouseholdResult, type HouseholdsRequest, type PlanInput } from '@ilk/core';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, badRequest, notFound } from '../errors.ts';
import { findKreis } from '../repositories/allocation-inputs.repository.ts';
import * as plans from '../repositories/allocation-plans.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { AllocationProblem, loadInputs, matchingProblem, normaliseRequest, runOn, type Suggestion } from './allocation.service.ts';
import { checkPlacements, householdResult } from './household-matching.ts';
import { assertMayEdit } from './scope.ts';
import { requiredVersion, stale } from './versioned.ts';

export const PLAN_KIND = 'allocation_plan';

// Fit totals are sums of products of floats; placements equal in value may differ in the
// last bits depending on summation order.
const OBJECTIVE_TOLERANCE = 1e-6;

const conflict = (detail: string) => new HttpProblem(409, ProblemType.conflict, 'Conflict', detail);

function mismatch(detail: string, differences: unknown[]): AllocationProblem {
  return new AllocationProblem(422, AllocationProblemType.resultMismatch, 'The result is not what the engine computes', detail, { differences });
}

/** Units whose submitted seats differ from the engine's, and units only one side has. */
function seatDifferences(engine: readonly { key: string; seats: number }[], submitted: PlanInput['result']) {
  const theirs = new Map(submitted.units.map((u) => [u.key, u.seats]));
  const ours = new Map(engine.map((u) => [u.key, u.seats]));
  const keys = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  return keys.filter((k) => ours.get(k) !== theirs.get(k)).map((k) => ({ key: k, submitted: theirs.get(k) ?? null, engine: ours.get(k) ?? null }));
}

const placementKey = (p: GroupPlacement) => `${p.group}:${p.unit_key}:${p.households}`;
const samePlacements = (a: readonly GroupPlacement[], b: readonly GroupPlacement[]) =>
  a.length === b.length && a.map(placementKey).sort().join() === b.map(placementKey).sort().join();

/**
 * A household placement other than the engine's own is accepted only if it is feasible and at
 * least as good: another optimum, or one found while the engine's re-run stopped earlier.
 */
function acceptedHouseholds(computed: Suggestion, submitted: PlanInput['result']): HouseholdResult {
  const engine = computed.result as HouseholdResult;
  const placements = submitted.placements ?? [];
  if (samePlacements(engine.placements, placements)) return engine;
  const problem = matchingProblem(computed.inputs, computed.request as HouseholdsRequest);
  const check = checkPlacements(problem, placements);
  if (!check.feasible) throw mismatch(`the submitted placement is not feasible: ${check.problems.slice(0, 5).join('; ')}`, check.problems);
  if (check.objective < engine.objective - OBJECTIVE_TOLERANCE) {
    throw mismatch(`the engine finds a better placement (total fit ${engine.objective.toFixed(6)} > ${check.objective.toFixed(6)}); compute again`, []);
  }
  return householdResult(problem, placements, check.objective);
}

/** Re-runs the engine on the plan's inputs; refuses a result that differs from its own. */
async function verified(db: Queryable, input: PlanInput) {
  const request = normaliseRequest(input.request);
  const computed = await runOn(await loadInputs(db, request.kreis, request.period!), request);
  const result = request.mode === 'aggregate' ? computed.result : acceptedHouseholds(computed, input.result);
  const differences = seatDifferences(result.units, input.result);
  if (differences.length > 0) {
    throw mismatch(`${differences.length} unit(s) differ from what the engine computes from the current data; compute again`, differences);
  }
  return { ...computed, result };
}

export async function savePlan(db: Database, user: AuthUser, request: FastifyRequest, input: PlanInput) {
  assertMayEdit(user, input.request.kreis, 'the Kreis');
  const s = await verified(db, input);
  const kreis = (await findKreis(db, s.inputs.kreis))!.id;
  return db.transaction(async (tx) => {
    const id = await plans.insert(tx, {
      kreis_id: kreis, name: input.name, mode: s.request.mode, period: s.inputs.period,
      inputs: { request: s.request, units: s.inputs.units, legal_key: s.legal_key },
      result: s.result, solver: s.solver ?? null, data_as_of: s.inputs.data_as_of, created_by: user.user_id,
    });
    const plan = (await plans.get(tx, id))!;
    await audit.record(tx, entry(user, request, 'create', id, undefined, summary(plan)));
    return present(plan, []);
  });
}

export async function getPlan(db: Queryable, id: number) {
  const plan = await plans.get(db, id);
  if (!plan) throw notFound(`allocation plan ${id}`);
  return present(plan, plan.status === 'decided' ? await plans.intakes(db, id) : []);
}

/**
 * Decides a draft: records its seats as the intake of the period, in the same transaction.
 * Refused when a plan of the same Kreis and period was decided after this one was computed,
 * because this plan's legal key did not credit that intake.
 */
export async function decidePlan(db: Database, user: AuthUser, request: FastifyRequest, id: number, justification: string) {
  // The schema counts characters; blanks around a too short text do not make it a justification.
  const why = justification.trim();
  if (why.length < 10) throw badRequest('justification must have at least 10 characters besides blanks', [{ field: '/justification', message: 'must have at least 10 characters' }]);
  const version = requiredVersion(request, PLAN_KIND, id);
  return db.transaction(async (tx) => {
    const before = await plans.get(tx, id);
    if (!before) throw notFound(`allocation plan ${id}`);
    assertMayEdit(user, before.kreis, 'the plan');
    await plans.lockKreis(tx, before.kreis_id);
    const later = await plans.decidedSince(tx, before.kreis_id, before.period, before.created_at, id);
    if (later) throw conflict(`plan ${later.id} ("${later.name}") of the same Kreis and period was decided after this plan was computed; compute it again so that its intake is credited`);
    if (!(await plans.decide(tx, id, version, user.user_id, why))) throw await whyNot(tx, id);
    const seats = (before.result as { units: { key: string; seats: number }[] }).units;
    await plans.insertIntakes(tx, id, seats.map((u) => ({ key: u.key, persons: u.seats })));
    const after = (await plans.get(tx, id))!;
    const intakes = await plans.intakes(tx, id);
    await audit.record(tx, entry(user, request, 'decide', id, summary(before), { ...summary(after), intakes }));
    return present(after, intakes);
  });
}

export async function deletePlan(db: Database, user: AuthUser, request: FastifyRequest, id: number): Promise<void> {
  const version = requiredVersion(request, PLAN_KIND, id);
  await db.transaction(async (tx) => {
    const before = await plans.get(tx, id);
    if (!before) throw notFound(`allocation plan ${id}`);
    assertMayEdit(user, before.kreis, 'the plan');
    if (!(await plans.remove(tx, id, version))) throw await whyNot(tx, id);
    await audit.record(tx, entry(user, request, 'delete', id, summary(before)));
  });
}

/** After a conditional write changed nothing: gone (404), decided (409) or stale (412). */
async function whyNot(db: Queryable, id: number): Promise<HttpProblem> {
  const state = await plans.state(db, id);
  if (!state) return notFound(`allocation plan ${id}`);
  if (state.status === 'decided') return conflict(`allocation plan ${id} is decided; a decision cannot be changed, deleted or taken again`);
  return stale(PLAN_KIND, id);
}

function summary(plan: plans.Plan): plans.PlanSummary {
  const { kreis_id: _k, inputs: _i, result: _r, solver: _s, ...rest } = plan;
  return rest;
}

function present(plan: plans.Plan, intakes: Awaited<ReturnType<typeof plans.intakes>>) {
  const { kreis_id: _k, ...rest } = plan;
  return { ...rest, intakes };
}

function entry(user: AuthUser, request: FastifyRequest, action: audit.AuditAction, id: number, before?: unknown, after?: unknown): audit.AuditEntry {
  return { user_id: user.user_id, actor: user.email, action, entity: PLAN_KIND, entity_id: String(id), before, after, request_id: request.id };
}

interface UnitSeats {
  key: string;
  name: string;
  seats: number;
  legal_seats: number;
  deviation_persons: number;
}

const side = (u: UnitSeats | undefined) => (u ? { seats: u.seats, legal_seats: u.legal_seats, deviation_persons: u.deviation_persons } : null);

/** Two plans side by side per unit; units only one plan has show null on the other side. */
export async function comparePlans(db: Queryable, id: number, otherId: number) {
  const [a, b] = await Promise.all([plans.get(db, id), plans.get(db, otherId)]);
  if (!a) throw notFound(`allocation plan ${id}`);
  if (!b) throw notFound(`allocation plan ${otherId}`);
  const unitsOf = (p: plans.Plan) => new Map((p.result as { units: UnitSeats[] }).units.map((u) => [u.key, u]));
  const [ua, ub] = [unitsOf(a), unitsOf(b)];
  const keys = [...new Set([...ua.keys(), ...ub.keys()])].sort();
  const units = keys.map((key) => {
    const [x, y] = [ua.get(key), ub.get(key)];
    return { key, name: (x ?? y)!.name, plan: side(x), other: side(y), difference: (x?.seats ?? 0) - (y?.seats ?? 0) };
  });
  return { plan: summary(a), other: summary(b), units };
}
