import { suggestAllocation } from '@ilk/core/allocation/suggest';
import { computeLegalKey } from '@ilk/core/allocation/legal-key';
import { missingReports, type UnitReportStatus } from '@ilk/core/allocation/report-status';
import type { LegalKeyResult, SuggestionInput, SuggestionResult } from '@ilk/core/allocation/types';
import type { HouseholdProfile } from '@ilk/core/allocation/households';
import { ApiError, isAbort } from '../api/client.ts';
import {
  savePlan, suggest, type AggregateResult, type AllocationInputs, type HouseholdInfeasibility, type HouseholdResult,
  type HouseholdsRequest, type InfeasibleMembers, type Plan, type SolverReport,
} from '../api/allocations.ts';
import type { DataStore } from './data.svelte.ts';
import type { ViewState } from './view.svelte.ts';
import { aggregateRequest, emptyRow, engineInput, householdsRequest, repeatsPlan, rowsToProfiles, type HouseholdRow } from './planning-input.ts';
import { explainHouseholds, type HouseholdExplanation } from './household-explain.ts';

export interface LiveResult {
  input: SuggestionInput;
  result: SuggestionResult;
  /** Milliseconds the engine took in this browser. */
  ms: number;
}

export interface HouseholdSolution {
  request: HouseholdsRequest;
  inputs: AllocationInputs;
  result: HouseholdResult;
  solver: SolverReport;
  explanations: HouseholdExplanation[];
}

export type SolveFailure =
  /** The legal key for the households' persons comes with it (the 422's `legal_key`). */
  | { kind: 'infeasible'; infeasibility: HouseholdInfeasibility; legal_key: LegalKeyResult | null }
  | { kind: 'error'; message: string };

/**
 * The allocation being planned. The units' inputs are fetched once from /suggest; from then on
 * the browser runs the core engine itself on every change of N, weights or constraints (the
 * scenario lives in the view, so it is in the URL). Households are solved by the server (HiGHS).
 */
export class Planning {
  inputs = $state.raw<AllocationInputs | null>(null);
  inputsError = $state<string | null>(null);
  live = $state.raw<LiveResult | null>(null);
  engineError = $state<string | null>(null);
  rows = $state<HouseholdRow[]>([emptyRow()]);
  solving = $state(false);
  solution = $state.raw<HouseholdSolution | null>(null);
  solveFailure = $state.raw<SolveFailure | null>(null);

  readonly kreis: string | null;
  readonly engineInput: SuggestionInput | null;
  readonly households: ReturnType<typeof rowsToProfiles>;
  /** The households request for the current rows and weights (null while a row is invalid). */
  readonly householdsRequest: HouseholdsRequest | null;
  /** The solution was computed for exactly the current households, weights and constraints. */
  readonly solutionCurrent: boolean;
  /**
   * The legal population key for N, whatever the capacities: owed even when no need-based
   * suggestion exists, so the panel shows it beside the infeasibility report.
   */
  readonly legalKey: LegalKeyResult | null;
  /** Units planned without a current capacity report: never reported first, then the oldest. */
  readonly missingReports: UnitReportStatus[];

  #view: ViewState;
  #inputsCtrl: AbortController | null = null;

  constructor(data: DataStore, view: ViewState) {
    this.#view = view;
    this.kreis = $derived(data.district.features[0]?.properties.key ?? null);
    this.engineInput = $derived(this.inputs ? engineInput(this.inputs.units, view.plan) : null);
    this.households = $derived(rowsToProfiles(this.rows));
    this.householdsRequest = $derived(
      this.kreis && this.inputs && this.households.errors.length === 0 && this.households.profiles.length > 0
        ? householdsRequest(this.kreis, this.inputs.period, view.plan, this.households.profiles)
        : null,
    );
    this.solutionCurrent = $derived(!!this.solution && JSON.stringify(this.solution.request) === JSON.stringify(this.householdsRequest));
    this.legalKey = $derived.by(() => {
      const input = this.engineInput;
      if (!input) return null;
      try {
        return computeLegalKey(input.units, input.n, input);
      } catch {
        return null;
      }
    });
    this.missingReports = $derived(this.inputs ? missingReports(this.inputs.units, new Date().toISOString().slice(0, 10)) : []);
  }

  /** Loads the units' inputs (again after a decision, which changes the credited intake). */
  async loadInputs(): Promise<void> {
    if (!this.kreis) return;
    this.#inputsCtrl?.abort();
    const ctrl = (this.#inputsCtrl = new AbortController());
    try {
      // The inputs do not depend on N or weights: any feasible request returns them.
      const s = await suggest<AggregateResult>({ kreis: this.kreis, mode: 'aggregate', n: 0, weights: {} }, ctrl.signal);
      // A placement solved on the old numbers (before a decision was credited) is not current.
      if (this.inputs && this.inputs.data_as_of !== s.inputs.data_as_of) this.solution = null;
      this.inputs = s.inputs;
      this.inputsError = null;
    } catch (e) {
      if (!isAbort(e)) this.inputsError = (e as Error).message;
    }
  }

  /** Forgets everything of this session's planning (at logout): the next user starts afresh. */
  reset(): void {
    this.#inputsCtrl?.abort();
    this.inputs = null;
    this.inputsError = null;
    this.live = null;
    this.engineError = null;
    this.rows = [emptyRow()];
    this.solution = null;
    this.solveFailure = null;
  }

  /** Runs the engine; called at most once per animation frame while a slider moves. */
  compute(input: SuggestionInput | null): void {
    if (!input) {
      this.live = null;
      return;
    }
    try {
      const started = performance.now();
      const result = suggestAllocation(input);
      this.live = { input, result, ms: performance.now() - started };
      this.engineError = null;
    } catch (e) {
      // The engine's own validation (RangeError): an input the form let through.
      this.live = null;
      this.engineError = (e as Error).message;
    }
  }

  /** Saves the current aggregate suggestion; the server recomputes and compares it. */
  async saveAggregate(name: string): Promise<Plan> {
    const input = this.engineInput;
    if (!input || !this.inputs || !this.kreis) throw new Error('no suggestion to save');
    const result = suggestAllocation(input);
    if (!result.ok) throw new Error('no feasible suggestion to save');
    const request = aggregateRequest(this.kreis, this.inputs.period, this.inputs.units, this.#view.plan);
    return this.#save(name, request, { units: result.units.map((u) => ({ key: u.key, seats: u.seats })) });
  }

  /**
   * Saving the aggregate suggestion now would store `plan` again (its parameters taken over and
   * left as they were, on the same data): a second copy would say nothing new.
   */
  repeats(plan: Plan): boolean {
    if (plan.mode !== 'aggregate' || this.#view.plan.kind !== 'aggregate' || !this.inputs || !this.kreis || !this.engineInput) return false;
    const request = aggregateRequest(this.kreis, this.inputs.period, this.inputs.units, this.#view.plan);
    return repeatsPlan(request, this.inputs.units, plan.inputs);
  }

  async saveHouseholds(name: string): Promise<Plan> {
    const s = this.solution;
    if (!s || !this.solutionCurrent) throw new Error('no current household solution to save');
    return this.#save(name, s.request, { units: s.result.units.map((u) => ({ key: u.key, seats: u.seats })), placements: s.result.placements });
  }

  async #save(name: string, request: Parameters<typeof savePlan>[1], result: Parameters<typeof savePlan>[2]): Promise<Plan> {
    try {
      return (await savePlan(name, request, result)).data;
    } catch (e) {
      // The data changed since the inputs were loaded: load them again, so the next try matches.
      if (e instanceof ApiError && e.status === 422) await this.loadInputs();
      throw e;
    }
  }

  setRows(rows: HouseholdRow[]): void {
    this.rows = rows.length ? rows : [emptyRow()];
  }

  async solve(): Promise<void> {
    const request = this.householdsRequest;
    if (!request) return;
    const profiles: HouseholdProfile[] = this.households.profiles;
    this.solving = true;
    this.solveFailure = null;
    try {
      const s = await suggest<HouseholdResult>(request);
      const explanations = explainHouseholds({
        units: s.inputs.units, weights: request.weights, maxDeviation: request.max_deviation ?? null,
        credit: request.shared_accommodation_credit ?? 0, unknownCapacity: request.unknown_capacity ?? 'none',
        profiles, groups: s.result.groups, placements: s.result.placements,
      });
      this.solution = { request, inputs: s.inputs, result: s.result, solver: s.solver!, explanations };
    } catch (e) {
      this.solution = null;
      const members = e instanceof ApiError && e.status === 422 ? (e.problem as unknown as Partial<InfeasibleMembers<HouseholdInfeasibility>>) : {};
      this.solveFailure = members.infeasibility
        ? { kind: 'infeasible', infeasibility: members.infeasibility, legal_key: members.legal_key ?? null }
        : { kind: 'error', message: (e as Error).message };
    } finally {
      this.solving = false;
    }
  }
}
