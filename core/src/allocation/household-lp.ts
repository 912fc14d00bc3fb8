import { fitsAlone, unitCapacities, type UnitCapacity } from './household-capacity.ts';
import { fitMatrix } from './household-fit.ts';
import {
  childrenUnder6,
  totalPersons,
  validateMatchingProblem,
  type HouseholdProfile,
  type MatchingProblem,
} from './households.ts';

export interface ModelVariable {
  name: string;
  group: number;
  /** Index into `problem.units`. */
  unit: number;
  unit_key: string;
  fit: number;
}

export interface HouseholdModel {
  /** CPLEX LP format, as read by HiGHS, CPLEX, Gurobi, CBC and GLPK. */
  lp: string;
  variables: ModelVariable[];
  /** Groups for which no unit can take even one household: the model is infeasible. */
  unplaceable: number[];
  /** Households per group, for checking a solution. */
  group_counts: number[];
}

type Term = [coefficient: number, variable: string];

/** Six decimals keep the file readable and exact enough for fit scores on a log2 scale. */
export const formatNumber = (x: number) => String(Number(x.toFixed(6)));

function expression(terms: readonly Term[]): string {
  const parts = terms.map(([c, v], i) => {
    const sign = c < 0 ? '- ' : i === 0 ? '' : '+ ';
    return `${sign}${formatNumber(Math.abs(c))} ${v}`;
  });
  // LP readers accept continuation lines; short lines keep the file reviewable.
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 8) lines.push(parts.slice(i, i + 8).join(' '));
  return lines.join('\n   ');
}

function rows(name: string, terms: Term[], sense: '<=' | '>=' | '=', rhs: number): string[] {
  if (terms.length === 0 || !Number.isFinite(rhs)) return [];
  return [` ${name}: ${expression(terms)} ${sense} ${rhs}`];
}

const barrierFreePersons = (p: HouseholdProfile) => (p.needs_barrier_free ? p.size : 0);
const schoolChildren = (p: HouseholdProfile) => p.children_6_17;

function unitRows(u: number, cap: UnitCapacity, vars: ModelVariable[], profiles: HouseholdProfile[]) {
  const terms = (amount: (p: HouseholdProfile) => number): Term[] =>
    vars.map((v): Term => [amount(profiles[v.group]!), v.name]).filter(([c]) => c !== 0);
  const persons = terms((p) => p.size);
  return [
    ...rows(`housing_${u}`, persons, '<=', cap.housing),
    ...rows(`barrier_free_${u}`, terms(barrierFreePersons), '<=', cap.barrier_free),
    ...rows(`kita_${u}`, terms(childrenUnder6), '<=', cap.kita),
    ...rows(`school_${u}`, terms(schoolChildren), '<=', cap.school),
    ...(cap.band_lo > 0 ? rows(`band_lo_${u}`, persons, '>=', cap.band_lo) : []),
    ...rows(`band_hi_${u}`, persons, '<=', cap.band_hi),
  ];
}

/** Variables where one household of the group fits at all, indexed by group and by unit. */
function collectVariables(problem: MatchingProblem, caps: UnitCapacity[]) {
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const byGroup: ModelVariable[][] = problem.groups.map(() => []);
  const byUnit: ModelVariable[][] = problem.units.map(() => []);
  problem.groups.forEach((group, g) => {
    problem.units.forEach((unit, u) => {
      if (!fitsAlone(group.profile, caps[u]!)) return;
      const variable = { name: `x_${g}_${u}`, group: g, unit: u, unit_key: unit.key, fit: fit[g]![u]! };
      byGroup[g]!.push(variable);
      byUnit[u]!.push(variable);
    });
  });
  return { byGroup, byUnit };
}

/**
 * Integer model: x_g_u households of profile group g in unit u; every household placed once;
 * per unit housing, barrier-free, Kita and school places and the band around the legal key.
 * Maximises total fit.
 */
export function buildHouseholdModel(problem: MatchingProblem): HouseholdModel {
  validateMatchingProblem(problem);
  const caps = unitCapacities(problem);
  const { byGroup, byUnit } = collectVariables(problem, caps);
  const variables = byGroup.flat();
  const unplaceable = byGroup.flatMap((vars, g) => (vars.length === 0 ? [g] : []));
  const profiles = problem.groups.map((group) => group.profile);
  // An unplaceable group keeps its row, with a variable fixed at zero, so solvers see why.
  const place = problem.groups.flatMap((group, g) => {
    const terms = byGroup[g]!.map((v): Term => [1, v.name]);
    if (terms.length === 0) return [` place_${g}: 0 x_${g}_none = ${group.count}`];
    return rows(`place_${g}`, terms, '=', group.count);
  });
  const objective = variables.filter((v) => formatNumber(v.fit) !== '0').map((v): Term => [v.fit, v.name]);
  const names = [...variables.map((v) => v.name), ...unplaceable.map((g) => `x_${g}_none`)];
  const lp = [
    `\\ Household matching: ${problem.groups.length} profile groups, ${problem.units.length} units, ` +
      `${totalPersons(problem.groups)} persons`,
    'Maximize',
    ` fit: ${objective.length > 0 ? expression(objective) : `0 ${names[0] ?? 'x_none'}`}`,
    'Subject To',
    ...place,
    ...byUnit.flatMap((vars, u) => unitRows(u, caps[u]!, vars, profiles)),
    'Bounds',
    ...variables.map((v) => ` 0 <= ${v.name} <= ${problem.groups[v.group]!.count}`),
    ...unplaceable.map((g) => ` x_${g}_none = 0`),
    'General',
    ...chunk(names, 10).map((line) => ` ${line.join(' ')}`),
    'End',
    '',
  ].join('\n');
  return { lp, variables, unplaceable, group_counts: problem.groups.map((group) => group.count) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
