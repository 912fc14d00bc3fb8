import type { GroupPlacement } from './household-greedy.ts';
import type { HouseholdModel } from './household-lp.ts';

/**
 * The part of the `highs` npm package this module uses. The instance is passed in (the caller
 * awaits `highsLoader()`), so core stays free of I/O and of loading WebAssembly.
 */
export interface HighsSolver {
  solve(
    lp: string,
    options?: { mip_rel_gap?: number; time_limit?: number },
  ): { Status: string; Columns: Record<string, unknown> };
}

/** An infeasible result's columns carry no Primal value; only numbers count. */
function primal(column: unknown): number | undefined {
  if (typeof column !== 'object' || column === null || !('Primal' in column)) return undefined;
  return typeof column.Primal === 'number' ? column.Primal : undefined;
}

export interface ExactMatching {
  /** HiGHS model status, e.g. 'Optimal', 'Infeasible', 'Time limit reached'. */
  status: string;
  optimal: boolean;
  /** Total fit recomputed from the model's own fit values; null without a solution. */
  objective: number | null;
  placements: GroupPlacement[];
}

// Statuses after which HiGHS still reports an integer-feasible incumbent worth showing.
const WITH_SOLUTION = new Set(['Optimal', 'Time limit reached', 'Iteration limit reached']);

export function solveHouseholdModel(
  highs: HighsSolver,
  model: HouseholdModel,
  options: { time_limit?: number; mip_rel_gap?: number } = {},
): ExactMatching {
  if (model.unplaceable.length > 0) {
    return { status: 'Infeasible', optimal: false, objective: null, placements: [] };
  }
  const result = highs.solve(model.lp, { mip_rel_gap: 0, time_limit: 60, ...options });
  const values = model.variables.map((v) => primal(result.Columns[v.name]));
  if (!WITH_SOLUTION.has(result.Status) || values.some((x) => x === undefined)) {
    return { status: result.Status, optimal: false, objective: null, placements: [] };
  }
  const households = values.map((x) => Math.round(x!));
  const placements = disaggregate(model, households);
  // Integer variables come back as floats within the feasibility tolerance.
  const objective = model.variables.reduce((sum, v, i) => sum + households[i]! * v.fit, 0);
  // A stopped solve without an incumbent must not pass for a placement: everyone is placed once.
  if (placements === null || !placesEveryone(model, placements)) {
    return { status: result.Status, optimal: false, objective: null, placements: [] };
  }
  return { status: result.Status, optimal: result.Status === 'Optimal', objective, placements };
}

/**
 * A class's households in each unit, handed to its member groups in order: members are
 * interchangeable in the model, so any split is equally feasible and equally good. Null if a
 * class got more households than it has (a solution that is not one).
 */
function disaggregate(model: HouseholdModel, households: readonly number[]): GroupPlacement[] | null {
  const left = [...model.group_counts];
  const next = model.classes.map(() => 0);
  const placed: (GroupPlacement & { unit: number })[] = [];
  for (const [i, v] of model.variables.entries()) {
    const members = model.classes[v.class]!;
    let k = households[i]!;
    for (; k > 0 && next[v.class]! < members.length; ) {
      const group = members[next[v.class]!]!;
      const take = Math.min(k, left[group]!);
      if (take > 0) placed.push({ group, unit: v.unit, unit_key: v.unit_key, households: take });
      left[group]! -= take;
      k -= take;
      if (left[group] === 0) next[v.class]! += 1;
    }
    if (k > 0) return null;
  }
  // Group by group, units in the problem's order, as the placements of a model without classes.
  placed.sort((a, b) => a.group - b.group || a.unit - b.unit);
  return placed.map(({ group, unit_key, households: n }) => ({ group, unit_key, households: n }));
}

function placesEveryone(model: HouseholdModel, placements: readonly GroupPlacement[]): boolean {
  const placed = new Map<number, number>();
  for (const p of placements) placed.set(p.group, (placed.get(p.group) ?? 0) + p.households);
  return model.group_counts.every((count, g) => (placed.get(g) ?? 0) === count);
}
