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
  let objective = 0;
  const placements: GroupPlacement[] = [];
  model.variables.forEach((v, i) => {
    // Integer variables come back as floats within the feasibility tolerance.
    const households = Math.round(values[i]!);
    if (households === 0) return;
    objective += households * v.fit;
    placements.push({ group: v.group, unit_key: v.unit_key, households });
  });
  // A stopped solve without an incumbent must not pass for a placement: everyone is placed once.
  if (!placesEveryone(model, placements)) {
    return { status: result.Status, optimal: false, objective: null, placements: [] };
  }
  return { status: result.Status, optimal: result.Status === 'Optimal', objective, placements };
}

function placesEveryone(model: HouseholdModel, placements: readonly GroupPlacement[]): boolean {
  const placed = new Map<number, number>();
  for (const p of placements) placed.set(p.group, (placed.get(p.group) ?? 0) + p.households);
  return model.group_counts.every((count, g) => (placed.get(g) ?? 0) === count);
}
