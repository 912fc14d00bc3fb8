import { fitsAlone, maxHouseholds, unitCapacities, type UnitCapacity } from './household-capacity.ts';
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
  /** Index into `HouseholdModel.classes`: the groups this variable places. */
  class: number;
  /** Index into `problem.units`. */
  unit: number;
  unit_key: string;
  fit: number;
  /** Upper bound: the class's households, or fewer if one of the unit's rows allows fewer. */
  max: number;
}

export interface HouseholdModel {
  /** CPLEX LP format, as read by HiGHS, CPLEX, Gurobi, CBC and GLPK. */
  lp: string;
  variables: ModelVariable[];
  /**
   * Profile groups that the model cannot tell apart (same places used, same fit in every unit),
   * one class each: they share one variable per unit. Indices into `problem.groups`.
   */
  classes: number[][];
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
    vars.map((v): Term => [amount(profiles[v.class]!), v.name]).filter(([c]) => c !== 0);
  const persons = terms((p) => p.size);
  return [
    ...rows(`housing_${u}`, persons, '<=', cap.housing),
    ...rows(`barrier_free_${u}`, terms(barrierFreePersons), '<=', cap.barrier_free),
    ...rows(`kita_${u}`, terms(childrenUnder6), '<=', cap.kita),
    ...rows(`school_${u}`, terms(schoolChildren), '<=', cap.school),
    ...(cap.band_lo > 0 ? rows(`band_lo_${u}`, persons.length > 0 ? persons : [[0, `y_${u}_none`]], '>=', cap.band_lo) : []),
    ...rows(`band_hi_${u}`, persons, '<=', cap.band_hi),
  ];
}

/**
 * Groups that differ only where the model does not look (for example a second language that no
 * unit offers) are merged: interchangeable columns only multiply the solver's search. Members
 * must use the same places and have bit-identical fit in every unit.
 */
export function modelClasses(groups: readonly HouseholdProfile[], fit: readonly number[][]): number[][] {
  const classes = new Map<string, number[]>();
  groups.forEach((p, g) => {
    const use = [p.size, barrierFreePersons(p), childrenUnder6(p), schoolChildren(p)];
    const key = JSON.stringify([use, fit[g]]);
    const members = classes.get(key);
    if (members) members.push(g);
    else classes.set(key, [g]);
  });
  return [...classes.values()];
}

/** Variables where one household of the class fits at all, indexed by class and by unit. */
function collectVariables(problem: MatchingProblem, caps: UnitCapacity[]) {
  const fit = fitMatrix(problem.groups, problem.units, problem.weights);
  const classes = modelClasses(
    problem.groups.map((group) => group.profile),
    fit,
  );
  const byClass: ModelVariable[][] = classes.map(() => []);
  const byUnit: ModelVariable[][] = problem.units.map(() => []);
  classes.forEach((members, c) => {
    const g = members[0]!;
    const profile = problem.groups[g]!.profile;
    const count = members.reduce((n, m) => n + problem.groups[m]!.count, 0);
    problem.units.forEach((unit, u) => {
      if (!fitsAlone(profile, caps[u]!)) return;
      const max = maxHouseholds(profile, caps[u]!, count);
      const variable = { name: `x_${c}_${u}`, class: c, unit: u, unit_key: unit.key, fit: fit[g]![u]!, max };
      byClass[c]!.push(variable);
      byUnit[u]!.push(variable);
    });
  });
  return { classes, byClass, byUnit };
}

/**
 * Integer model: x_c_u households of class c (profile groups the model cannot tell apart) in
 * unit u; every household placed once; per unit housing, barrier-free, Kita and school places
 * and the band around the legal key. Maximises total fit.
 */
export function buildHouseholdModel(problem: MatchingProblem): HouseholdModel {
  validateMatchingProblem(problem);
  const caps = unitCapacities(problem);
  const { classes, byClass, byUnit } = collectVariables(problem, caps);
  const variables = byClass.flat();
  const count = (c: number) => classes[c]!.reduce((n, g) => n + problem.groups[g]!.count, 0);
  const emptyClasses = classes.flatMap((_, c) => (byClass[c]!.length === 0 ? [c] : []));
  const unplaceable = emptyClasses.flatMap((c) => classes[c]!).sort((a, b) => a - b);
  const profiles = classes.map((members) => problem.groups[members[0]!]!.profile);
  // An unplaceable class keeps its row, with a variable fixed at zero, so solvers see why.
  const place = classes.flatMap((_, c) => {
    const terms = byClass[c]!.map((v): Term => [1, v.name]);
    if (terms.length === 0) return [` place_${c}: 0 x_${c}_none = ${count(c)}`];
    return rows(`place_${c}`, terms, '=', count(c));
  });
  const objective = variables.filter((v) => formatNumber(v.fit) !== '0').map((v): Term => [v.fit, v.name]);
  // A unit that must take persons but fits no household keeps its band row, likewise.
  const emptyUnits = byUnit.flatMap((vars, u) => (vars.length === 0 && caps[u]!.band_lo > 0 ? [`y_${u}_none`] : []));
  const fixed = [...emptyClasses.map((c) => `x_${c}_none`), ...emptyUnits];
  const names = [...variables.map((v) => v.name), ...fixed];
  const lp = [
    `\\ Household matching: ${problem.groups.length} profile groups in ${classes.length} classes, ` +
      `${problem.units.length} units, ${totalPersons(problem.groups)} persons`,
    'Maximize',
    ` fit: ${objective.length > 0 ? expression(objective) : `0 ${names[0] ?? 'x_none'}`}`,
    'Subject To',
    ...place,
    ...byUnit.flatMap((vars, u) => unitRows(u, caps[u]!, vars, profiles)),
    'Bounds',
    ...variables.map((v) => ` 0 <= ${v.name} <= ${v.max}`),
    ...fixed.map((name) => ` ${name} = 0`),
    'General',
    ...chunk(names, 10).map((line) => ` ${line.join(' ')}`),
    'End',
    '',
  ].join('\n');
  return { lp, variables, classes, unplaceable, group_counts: problem.groups.map((group) => group.count) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
