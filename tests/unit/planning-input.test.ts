import { describe, expect, it } from 'vitest';
import { AllocationProblemType, suggestAllocation, type AllocationUnit } from '@ilk/core';
import { aggregateRequest, criterionWeights, emptyRow, engineInput, householdsRequest, repeatsPlan, rowsToProfiles } from '../../client/src/lib/state/planning-input.ts';
import { DEFAULT_PLAN, parsePlanView, writePlanView, zeroWeights, type PlanView } from '../../client/src/lib/state/plan-url.ts';
import { AllocationProblemTypes } from '../../client/src/lib/api/allocations.ts';

const unit = (key: string, population: number, housing: number, kita: number): AllocationUnit => ({
  key, name: `Unit ${key.slice(-1)}`, population, prior_intake: 0, housing_free: housing, criteria: { kita_free: kita },
});
const UNITS = [unit('010990000001', 10_000, 30, 40), unit('010990000002', 6_000, 20, 5), unit('010990000003', 4_000, 10, 12)];
const scenario = (p: Partial<PlanView> = {}): PlanView => ({ ...DEFAULT_PLAN, weights: { ...zeroWeights(), kita_free: 1, language_match: 2 }, ...p });

describe('the scenario as the engine and the API take it', () => {
  it('gives the engine what the server gives it for the saved request', () => {
    const plan = scenario({ n: 25, maxDeviation: { unit: 'percent', value: 50 }, credit: 0.5, excluded: ['010990000003'], bounds: { '010990000001': { min: 3 } } });
    const input = engineInput(UNITS, plan)!;
    const request = aggregateRequest('010990000000', 2026, UNITS, plan);
    // As server/src/services/allocation.service.ts (suggestAggregate) builds the engine's input.
    const server = suggestAllocation({
      units: UNITS, n: request.n, weights: request.weights, bounds: request.bounds!, excluded: request.excluded!,
      max_deviation: request.max_deviation!, shared_accommodation_credit: request.shared_accommodation_credit ?? 0,
    });
    expect(suggestAllocation(input)).toEqual(server);
    expect(request).toMatchObject({ kreis: '010990000000', period: 2026, mode: 'aggregate', n: 25 });
  });

  it('sends criterion weights only in aggregate mode (the schema refuses the language bonus there)', () => {
    expect(aggregateRequest('010990000000', 2026, UNITS, scenario()).weights).not.toHaveProperty('language_match');
    expect(householdsRequest('010990000000', 2026, scenario(), []).weights).toMatchObject({ kita_free: 1, language_match: 2 });
  });

  it('leaves out options that are off, and bounds of units that are not in the Kreis', () => {
    const request = aggregateRequest('010990000000', 2026, UNITS, scenario({ bounds: { '010990999000': { max: 1 } }, excluded: ['010990999000'] }));
    expect(Object.keys(request).sort()).toEqual(['kreis', 'mode', 'n', 'period', 'weights']);
  });

  it('sends how unknown capacities count only when they count as unlimited, in both modes and to the engine', () => {
    const unlimited = scenario({ unknownCapacity: 'unlimited' });
    expect(aggregateRequest('010990000000', 2026, UNITS, unlimited).unknown_capacity).toBe('unlimited');
    expect(householdsRequest('010990000000', 2026, unlimited, []).unknown_capacity).toBe('unlimited');
    expect(engineInput(UNITS, unlimited)!.unknown_capacity).toBe('unlimited');
    expect(aggregateRequest('010990000000', 2026, UNITS, scenario())).not.toHaveProperty('unknown_capacity');
  });

  it('knows a saved plan that saving again would repeat: same request (in any key order, default filled in) on the same units', () => {
    const plan = scenario({ n: 25, maxDeviation: { unit: 'persons', value: 4 }, bounds: { '010990000001': { max: 9 } } });
    const request = aggregateRequest('010990000000', 2026, UNITS, plan);
    // As the server stores it: unknown_capacity filled in, keys in the database's order.
    const stored = JSON.parse(JSON.stringify({ unknown_capacity: 'none', ...Object.fromEntries(Object.entries(request).reverse()) })) as unknown;
    const saved = { request: stored, units: structuredClone(UNITS) };
    expect(repeatsPlan(request, UNITS, saved)).toBe(true);
    expect(repeatsPlan(aggregateRequest('010990000000', 2026, UNITS, { ...plan, n: 26 }), UNITS, saved)).toBe(false);
    expect(repeatsPlan(aggregateRequest('010990000000', 2026, UNITS, { ...plan, unknownCapacity: 'unlimited' }), UNITS, saved)).toBe(false);
    expect(repeatsPlan(aggregateRequest('010990000000', 2026, UNITS, { ...plan, bounds: {} }), UNITS, saved)).toBe(false);
    expect(repeatsPlan(aggregateRequest('010990000000', 2027, UNITS, plan), UNITS, saved)).toBe(false);
    // Other data (a capacity reported, an intake decided meanwhile): a new plan, even for the same request.
    expect(repeatsPlan(request, [{ ...UNITS[0]!, housing_free: 31 }, ...UNITS.slice(1)], saved)).toBe(false);
  });

  it('has no engine input while N is not a whole number of persons', () => {
    expect(engineInput(UNITS, scenario({ n: Number.NaN }))).toBeNull();
    expect(engineInput(UNITS, scenario({ n: -1 }))).toBeNull();
    expect(engineInput(UNITS, scenario({ n: 1.5 }))).toBeNull();
  });

  it('names the problem types as core does', () => {
    expect(AllocationProblemTypes).toEqual(AllocationProblemType);
  });
});

describe('the household table', () => {
  it('turns rows into anonymous profiles; empty child counts are zero', () => {
    const { profiles, errors } = rowsToProfiles([
      { ...emptyRow(), size: 4, children_6_17: 2, languages: 'FA, fa ar', needs_medical: true },
      { ...emptyRow(), size: 2, children_0_2: null },
    ]);
    expect(errors).toEqual([]);
    expect(profiles).toEqual([
      { size: 4, children_0_2: 0, children_3_5: 0, children_6_17: 2, languages: ['fa', 'ar'], needs_barrier_free: false, needs_medical: true },
      { size: 2, children_0_2: 0, children_3_5: 0, children_6_17: 0, languages: [], needs_barrier_free: false, needs_medical: false },
    ]);
  });

  it('names every wrong field by row', () => {
    const { profiles, errors } = rowsToProfiles([
      { ...emptyRow(), size: 0 },
      { ...emptyRow(), size: 2, children_3_5: 1.5, languages: 'de, xx' },
      { ...emptyRow(), size: 2, children_0_2: 1, children_6_17: 2 },
      { ...emptyRow(), size: 3 },
    ]);
    expect(profiles).toHaveLength(1);
    expect(errors).toEqual([
      { row: 0, field: 'size', problem: 'size' },
      { row: 1, field: 'children_3_5', problem: 'count' },
      { row: 1, field: 'languages', problem: 'language', detail: 'xx' },
      { row: 2, field: 'size', problem: 'children' },
    ]);
  });
});

describe('each control as the engine and the saved request take it', () => {
  const K1 = '010990000001';
  const K2 = '010990000002';
  /** What the engine computes for a scenario, and what the saved request says, for one control. */
  const both = (plan: PlanView) => ({ engine: engineInput(UNITS, plan)!, request: aggregateRequest('010990000000', 2026, UNITS, plan) });
  const base = (p: Partial<PlanView> = {}): PlanView => ({ ...DEFAULT_PLAN, ...p });

  it.each([
    ['deviation in percent', base({ maxDeviation: { unit: 'percent', value: 12.5 } }), { max_deviation: { unit: 'percent', value: 12.5 } }],
    ['deviation in persons', base({ maxDeviation: { unit: 'persons', value: 5 } }), { max_deviation: { unit: 'persons', value: 5 } }],
    ['minimum', base({ bounds: { [K1]: { min: 2 } } }), { bounds: { [K1]: { min: 2 } } }],
    ['maximum', base({ bounds: { [K1]: { max: 0 } } }), { bounds: { [K1]: { max: 0 } } }],
    ['excluded', base({ excluded: [K2] }), { excluded: [K2] }],
    ['credit', base({ credit: 0.3 }), { shared_accommodation_credit: 0.3 }],
    ['unknown capacities', base({ unknownCapacity: 'unlimited' }), { unknown_capacity: 'unlimited' }],
  ] as [string, PlanView, Record<string, unknown>][])('%s: set, it is in both; unset, neither has it', (_name, plan, option) => {
    const { engine, request } = both(plan);
    expect(engine).toMatchObject(option);
    expect(request).toMatchObject(option);
    const [key] = Object.keys(option);
    // Back to the default: the option is gone from both.
    const off = both(DEFAULT_PLAN);
    expect(off.engine).not.toHaveProperty(key!);
    expect(off.request).not.toHaveProperty(key!);
  });

  it('an unticked deviation limit is computed by nobody', () => {
    const { engine, request } = both(base({ maxDeviation: null }));
    expect(engine).not.toHaveProperty('max_deviation');
    expect(request).not.toHaveProperty('max_deviation');
  });

  it('N, the aggregate weights and the household weights are what the sliders and the field show', () => {
    const plan = base({ n: 17, weights: { ...zeroWeights(), kita_free: 0.35, language_match: 0.6 } });
    const { engine, request } = both(plan);
    expect(engine.n).toBe(17);
    expect(request.n).toBe(17);
    expect(engine.weights).toEqual({ ...criterionWeights(plan) });
    expect(request.weights).toEqual(engine.weights);
    expect(engine.weights).toMatchObject({ kita_free: 0.35 });
    expect(householdsRequest('010990000000', 2026, plan, []).weights).toMatchObject({ kita_free: 0.35, language_match: 0.6 });
  });

  it('the period and the mode come from the inputs and the chosen kind', () => {
    expect(aggregateRequest('010990000000', 2027, UNITS, DEFAULT_PLAN)).toMatchObject({ period: 2027, mode: 'aggregate' });
    expect(householdsRequest('010990000000', 2027, base({ kind: 'households' }), [])).toMatchObject({ period: 2027, mode: 'households' });
  });

  it('a scenario read from its own URL computes the same engine input (URL = engine)', () => {
    const plan = base({
      n: 33, weights: { ...zeroWeights(), kita_free: 0.5 }, maxDeviation: { unit: 'persons', value: 4 }, credit: 0.5, unknownCapacity: 'unlimited',
      excluded: [K2], bounds: { [K1]: { min: 1, max: 20 } },
    });
    const p = new URLSearchParams();
    writePlanView(p, plan);
    expect(engineInput(UNITS, parsePlanView(new URLSearchParams(p.toString())))).toEqual(engineInput(UNITS, plan));
  });
});
