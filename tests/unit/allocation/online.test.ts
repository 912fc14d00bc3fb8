import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  forecastArrivals,
  hindsightOptimum,
  planOnline,
  simulateYear,
  yearCapacities,
  type HindsightResult,
  type LpSolver,
  type OnlinePlan,
  type OnlineYear,
} from '../../../core/src/allocation/index.ts';

// A small year keeps the file fast: 5 units, 12 weeks, 160 persons. The year-long measurement
// (12 units, 52 weeks) is in scripts/bench/allocation-online.ts.
const SMALL = { seed: 3, units: 5, weeks: 12, persons: 160 };

let highs: LpSolver;
let year: OnlineYear;
let greedy: OnlinePlan;
let potentials: OnlinePlan;
let prices: OnlinePlan;
let hindsight: HindsightResult;

beforeAll(async () => {
  highs = await highsLoader();
  year = simulateYear(SMALL);
  greedy = planOnline(year, { method: 'greedy' });
  potentials = planOnline(year, { method: 'potentials', solver: highs, scenarios: 2 });
  prices = planOnline(year, { method: 'potentials', solver: highs, decision: 'prices', scenarios: 2 });
  hindsight = hindsightOptimum(year, highs, { time_limit: 20 });
});

const withoutTime = ({ time_ms: _, ...plan }: OnlinePlan) => plan;

function usage(plan: OnlinePlan) {
  const used = year.units.map(() => ({ persons: 0, barrier_free: 0, kita: 0, school: 0 }));
  for (const p of plan.placements) {
    const h = year.batches[p.week]![p.household]!;
    const u = used[year.units.findIndex((unit) => unit.key === p.unit_key)]!;
    u.persons += h.size;
    if (h.needs_barrier_free) u.barrier_free += h.size;
    u.kita += h.children_0_2 + h.children_3_5;
    u.school += h.children_6_17;
  }
  return used;
}

describe('simulateYear', () => {
  it('is deterministic and reaches the quota of persons', () => {
    expect(simulateYear(SMALL)).toEqual(year);
    expect(simulateYear({ ...SMALL, seed: 4 }).batches).not.toEqual(year.batches);
    const persons = year.batches.flat().reduce((n, h) => n + h.size, 0);
    // Households are drawn until the quota is met; the last one may overshoot by its size.
    expect(persons).toBeGreaterThanOrEqual(160);
    expect(persons).toBeLessThan(160 + 9);
    expect(year.batches).toHaveLength(12);
  });

  it('draws forecasts from the mix, not from the actual year', () => {
    const future = forecastArrivals(year, 5, 0);
    expect(forecastArrivals(year, 5, 0)).toEqual(future);
    expect(forecastArrivals(year, 5, 1)).not.toEqual(future);
    expect(future).not.toEqual(year.batches.slice(6).flat());
  });
});

describe('planOnline', () => {
  it('gives the same result for the same seed', () => {
    expect(withoutTime(planOnline(year, { method: 'greedy' }))).toEqual(withoutTime(greedy));
    const again = planOnline(simulateYear(SMALL), { method: 'potentials', solver: highs, scenarios: 2 });
    expect(withoutTime(again)).toEqual(withoutTime(potentials));
  });

  it('places every household exactly once or reports it unplaced', () => {
    for (const plan of [greedy, potentials, prices]) {
      const seen = [...plan.placements, ...plan.unplaced].map((h) => `${h.week}/${h.household}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(year.batches.flat().length);
    }
  });

  it('never exceeds a capacity or the upper end of the band', () => {
    const caps = yearCapacities(year);
    for (const plan of [greedy, potentials, prices]) {
      usage(plan).forEach((used, u) => {
        const cap = caps[u]!;
        expect(used.persons).toBeLessThanOrEqual(Math.min(cap.housing, cap.band_hi));
        expect(used.barrier_free).toBeLessThanOrEqual(cap.barrier_free);
        expect(used.kita).toBeLessThanOrEqual(cap.kita);
        expect(used.school).toBeLessThanOrEqual(cap.school);
      });
    }
  });

  it('asks the forecast for scenarios × pool draws per batch and solves one model per batch', () => {
    const asked = new Map<number, Set<number>>();
    const forecast = (week: number, draw: number) => {
      if (!asked.has(week)) asked.set(week, new Set());
      asked.get(week)!.add(draw);
      return forecastArrivals(year, week, draw);
    };
    const plan = planOnline(year, { method: 'potentials', solver: highs, scenarios: 3, pool: 2, forecast });
    const weeks = year.batches.flatMap((b, w) => (b.length > 0 ? [w] : []));
    expect([...asked.keys()].sort((a, b) => a - b)).toEqual(weeks);
    for (const draws of asked.values()) expect([...draws].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plan.solver_calls).toBe(weeks.length);
    expect(prices.solver_calls).toBe(3 * weeks.length);
  });

  it('needs a solver for potentials', () => {
    expect(() => planOnline(year, { method: 'potentials' })).toThrow(TypeError);
  });
});

describe('potentials against greedy and hindsight', () => {
  it('does at least as well as greedy on a small seeded year', () => {
    for (const plan of [potentials, prices]) {
      expect(plan.total_fit).toBeGreaterThanOrEqual(greedy.total_fit);
      expect(plan.fallbacks).toBe(0);
    }
  });

  it('uses an exact forecast better by placing than by pricing', () => {
    // One scenario that is exactly the households still to come. The sample-average model is
    // then the hindsight model with the future fractional; prices from the same LP leave ties
    // among units to the batch's integer program. Measured 0.959 against 0.934 on this year.
    const exact = (week: number) => year.batches.slice(week + 1).flat();
    const one = { method: 'potentials', solver: highs, scenarios: 1, pool: 1, forecast: exact } as const;
    const placing = planOnline(year, one).total_fit / hindsight.total_fit!;
    const pricing = planOnline(year, { ...one, decision: 'prices' }).total_fit / hindsight.total_fit!;
    expect(placing).toBeGreaterThanOrEqual(0.95);
    expect(placing).toBeGreaterThan(pricing);
  });

  it('stays within the hindsight optimum and reaches at least 95 % of it', () => {
    expect(hindsight).toMatchObject({ status: 'Optimal', optimal: true, unplaced: 0 });
    const optimum = hindsight.total_fit!;
    expect(hindsight.lp_bound!).toBeGreaterThanOrEqual(optimum - 1e-6);
    for (const plan of [greedy, potentials, prices]) expect(plan.total_fit).toBeLessThanOrEqual(optimum + 1e-6);
    // Measured 0.985 (prices 0.975, greedy 0.898) on this year; the floor leaves room for solver versions.
    expect(potentials.total_fit / optimum).toBeGreaterThanOrEqual(0.95);
    expect(prices.total_fit / optimum).toBeGreaterThanOrEqual(0.95);
  });
});
