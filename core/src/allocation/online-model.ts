import { deviationPersons } from './bounds.ts';
import { scoreTable } from './criteria.ts';
import { fitsAlone, type UnitCapacity } from './household-capacity.ts';
import { householdFit } from './household-fit.ts';
import { formatNumber } from './household-lp.ts';
import {
  canonicalProfile,
  childrenUnder6,
  type HouseholdProfile,
  type MatchingUnit,
  type MatchingWeights,
} from './households.ts';
import { computeLegalKey } from './legal-key.ts';
import type { MaxDeviation } from './types.ts';

/**
 * A year of arrivals. Capacities are yearly totals that are not replenished: `housing_free`,
 * `housing_free_barrier_free`, `criteria.kita_free` and `criteria.school_free` are the places
 * available for this year's arrivals as a whole. The legal key is taken for the persons
 * expected over the year; the upper end of its band is a hard cap like housing.
 */
export interface OnlineYear {
  seed: number;
  units: MatchingUnit[];
  weights: MatchingWeights;
  max_deviation?: MaxDeviation;
  /** Persons the district takes in over the year (its quota): the legal key is taken for them. */
  expected_persons: number;
  /** The households arriving in each week, in order of arrival. */
  batches: HouseholdProfile[][];
}

/** What the solver interface returns; the `highs` package's `solve` fits it as it is. */
export interface SolverResult {
  Status: string;
  ObjectiveValue?: number;
  Columns: Record<string, unknown>;
  Rows?: readonly unknown[];
}

/** HiGHS options the online planner uses (names as in HiGHS). */
export interface SolveOptions {
  mip_rel_gap?: number;
  time_limit?: number;
}

/** A solver of CPLEX LP text, injected so core loads no WebAssembly (tests use `highs`). */
export interface LpSolver {
  solve(lp: string, options?: SolveOptions): SolverResult;
}

/** Capacities at the start of the year, units in the order of `year.units`. */
export function yearCapacities(year: OnlineYear): UnitCapacity[] {
  const seats = new Map(computeLegalKey(year.units, year.expected_persons).units.map((s) => [s.key, s.seats]));
  return year.units.map((unit) => {
    const legal = seats.get(unit.key) ?? 0;
    const deviation = deviationPersons(year.max_deviation, legal);
    return {
      // The simulation's units always report; an unknown one counts as no room.
      housing: unit.housing_free ?? 0,
      barrier_free: unit.housing_free_barrier_free ?? 0,
      kita: unit.criteria.kita_free ?? Infinity,
      school: unit.criteria.school_free ?? Infinity,
      band_lo: Math.max(0, legal - deviation),
      band_hi: legal + deviation,
    };
  });
}

export interface ProfileFit {
  /** householdFit per unit: 0 is an average unit, on the suggestion's log2 scale. */
  raw: number[];
  /** raw minus the household's worst unit: never negative, so totals can be compared as ratios. */
  gain: number[];
}

/**
 * Fit of every profile, scored once against the units as they stand at the start of the
 * year (the scores are not recomputed as places fill; the capacities are the constraints).
 */
export function fitTable(year: OnlineYear): (profile: HouseholdProfile) => ProfileFit {
  const scores = scoreTable(year.units);
  const cache = new Map<string, ProfileFit>();
  return (profile) => {
    const canonical = canonicalProfile(profile);
    const key = JSON.stringify(canonical);
    let fit = cache.get(key);
    if (!fit) {
      const raw = year.units.map((unit, u) => householdFit(canonical, unit, scores, u, year.weights));
      const worst = Math.min(...raw);
      fit = { raw, gain: raw.map((x) => x - worst) };
      cache.set(key, fit);
    }
    return fit;
  };
}

/** Opportunity cost of one place of each kind in a unit (dual prices). */
export interface UnitPrices {
  persons: number;
  barrier_free: number;
  kita: number;
  school: number;
}

export const ZERO_PRICES: UnitPrices = { persons: 0, barrier_free: 0, kita: 0, school: 0 };

export function priceOf(p: HouseholdProfile, price: UnitPrices): number {
  return (
    p.size * price.persons +
    (p.needs_barrier_free ? p.size * price.barrier_free : 0) +
    childrenUnder6(p) * price.kita +
    p.children_6_17 * price.school
  );
}

export interface ModelGroup {
  profile: HouseholdProfile;
  count: number;
  /** Objective per household and unit. */
  value: number[];
}

export interface OnlineModel {
  lp: string;
  variables: { name: string; group: number; unit: number }[];
}

type Term = [number, string];

function expression(terms: readonly Term[]): string {
  const parts = terms.map(([c, v], i) => `${c < 0 ? '- ' : i === 0 ? '' : '+ '}${formatNumber(Math.abs(c))} ${v}`);
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 8) lines.push(parts.slice(i, i + 8).join(' '));
  return lines.join('\n   ');
}

const ROWS: [keyof UnitPrices, (p: HouseholdProfile) => number, (c: UnitCapacity) => number][] = [
  ['persons', (p) => p.size, (c) => Math.min(c.housing, c.band_hi)],
  ['barrier_free', (p) => (p.needs_barrier_free ? p.size : 0), (c) => c.barrier_free],
  ['kita', childrenUnder6, (c) => c.kita],
  ['school', (p) => p.children_6_17, (c) => c.school],
];

/** Households of one block of a model: the batch, or one forecast scenario. */
export interface ModelBlock {
  groups: readonly ModelGroup[];
  /** Objective weight of the block (1 / scenarios for a scenario of a joint model). */
  weight: number;
  /** Objective loss per household left unplaced. */
  penalty: number;
}

interface BlockVariables {
  variables: OnlineModel['variables'];
  objective: Term[];
  place: string[];
  slack: string[];
}

/** x_g_u households of group g in unit u where one fits at all, z_g left unplaced. */
function blockVariables(block: ModelBlock, caps: readonly UnitCapacity[], x: string, z: string): BlockVariables {
  const out: BlockVariables = { variables: [], objective: [], place: [], slack: [] };
  block.groups.forEach((group, g) => {
    const terms: Term[] = [[1, `${z}_${g}`]];
    caps.forEach((cap, u) => {
      if (!fitsAlone(group.profile, cap)) return;
      const name = `${x}_${g}_${u}`;
      out.variables.push({ name, group: g, unit: u });
      terms.push([1, name]);
      const value = block.weight * group.value[u]!;
      if (formatNumber(value) !== '0') out.objective.push([value, name]);
    });
    out.objective.push([-block.weight * block.penalty, `${z}_${g}`]);
    out.slack.push(`${z}_${g}`);
    out.place.push(` place_${x}_${g}: ${expression(terms)} = ${group.count}`);
  });
  return out;
}

type Block = readonly [ModelBlock, BlockVariables];

function capacityRows(caps: readonly UnitCapacity[], blocks: readonly Block[], s: number): string[] {
  return caps.flatMap((cap, u) =>
    ROWS.flatMap(([kind, amount, rhs]) => {
      const terms = blocks.flatMap(([block, { variables }]) =>
        variables
          .filter((v) => v.unit === u)
          .map((v): Term => [amount(block.groups[v.group]!.profile), v.name])
          .filter(([c]) => c !== 0),
      );
      const limit = rhs(cap);
      if (terms.length === 0 || !Number.isFinite(limit)) return [];
      return [` ${kind}_${u}_${s}: ${expression(terms)} <= ${limit}`];
    }),
  );
}

/**
 * Placement model over remaining capacities. The batch's households are placed once and share
 * the capacities with every scenario: one copy of the capacity rows per scenario, named
 * `<kind>_<unit>_<scenario>`, so their duals can be read back as prices (a two-stage
 * stochastic program in its sample-average form). Households left unplaced cost the block's
 * penalty, so the model is always feasible and places whoever it can. `variables` lists the
 * batch's variables only.
 */
export function buildOnlineModel(
  batch: ModelBlock,
  caps: readonly UnitCapacity[],
  options: { integer: boolean; scenarios?: readonly ModelBlock[] },
): OnlineModel {
  const first = blockVariables(batch, caps, 'x', 'z');
  const scenarios = (options.scenarios ?? []).map(
    (block, s) => [block, blockVariables(block, caps, `y${s}`, `w${s}`)] as const,
  );
  const all = [[batch, first] as const, ...scenarios];
  const rows =
    scenarios.length === 0
      ? capacityRows(caps, [[batch, first]], 0)
      : scenarios.flatMap((scenario, s) => capacityRows(caps, [[batch, first], scenario], s));
  const integers = [...first.variables.map((v) => v.name), ...first.slack];
  const lp = [
    'Maximize',
    ` value: ${expression(all.flatMap(([, b]) => b.objective))}`,
    'Subject To',
    ...all.flatMap(([, b]) => b.place),
    ...rows,
    'Bounds',
    ...all.flatMap(([block, b]) => b.variables.map((v) => ` 0 <= ${v.name} <= ${block.groups[v.group]!.count}`)),
    ...(options.integer ? ['General', ...chunks(integers, 10).map((line) => ` ${line.join(' ')}`)] : []),
    'End',
    '',
  ].join('\n');
  return { lp, variables: first.variables };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function field(item: unknown, name: 'Primal' | 'Dual' | 'Name'): unknown {
  if (typeof item !== 'object' || item === null || !(name in item)) return undefined;
  return (item as Record<string, unknown>)[name];
}

/** Primal values of the model's variables, or null when the result carries none. */
export function primalValues(model: OnlineModel, result: SolverResult): number[] | null {
  const values = model.variables.map((v) => field(result.Columns[v.name], 'Primal'));
  return values.every((x) => typeof x === 'number') ? (values as number[]) : null;
}

/** Dual prices of the capacity rows, summed over scenarios; a unit without a row costs nothing. */
export function dualPrices(result: SolverResult, unitCount: number): UnitPrices[] {
  const prices = Array.from({ length: unitCount }, () => ({ ...ZERO_PRICES }));
  for (const row of result.Rows ?? []) {
    const match = /^(persons|barrier_free|kita|school)_(\d+)_\d+$/.exec(String(field(row, 'Name')));
    const dual = field(row, 'Dual');
    if (!match || typeof dual !== 'number') continue;
    // For a maximisation the dual of a binding <= row is >= 0: the value of one more place.
    // The scenarios' objectives are weighted, so their duals add up to the batch's price.
    prices[Number(match[2])]![match[1] as keyof UnitPrices] += Math.max(0, dual);
  }
  return prices;
}

/** Units left below the lower end of the band, from the capacities at the start and at the end. */
export function belowBand(year: OnlineYear, initial: readonly UnitCapacity[], left: readonly UnitCapacity[]) {
  return year.units.flatMap((unit, u) => {
    const persons = initial[u]!.housing - left[u]!.housing;
    const lower = initial[u]!.band_lo;
    return persons < lower ? [{ unit_key: unit.key, persons, lower }] : [];
  });
}
