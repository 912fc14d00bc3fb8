import { describe, expect, it } from 'vitest';
import { computeLegalKey } from '../../../core/src/allocation/index.ts';
import { unit } from './fixtures.ts';

const seatsOf = (result: ReturnType<typeof computeLegalKey>) => result.units.map((u) => u.seats);
const quotasOf = (result: ReturnType<typeof computeLegalKey>) => result.units.map((u) => u.quota);

// Populations 10,000 / 6,000 / 4,000: shares 1/2, 3/10, 1/5 of 20,000.
const district = (prior: number[], shared: number[] = [0, 0, 0]) =>
  [10_000, 6_000, 4_000].map((population, i) =>
    unit(i + 1, { population, prior_intake: prior[i]!, shared_accommodation_places: shared[i]! }),
  );

describe('computeLegalKey', () => {
  it('credits prior intake and apportions by largest remainders', () => {
    // Prior 5/0/0, N = 37: total credited 5, so the period total is 42.
    // Raw targets: 42 * 1/2 - 5 = 16, 42 * 3/10 = 12.6, 42 * 1/5 = 8.4 (sum 37).
    // Floors 16 + 12 + 8 = 36; the one seat left goes to the largest remainder, 0.6.
    const result = computeLegalKey(district([5, 0, 0]), 37);
    expect(quotasOf(result)).toEqual([16, 12.6, 8.4]);
    expect(result.units.map((u) => u.floor)).toEqual([16, 12, 8]);
    expect(result.units.map((u) => u.remainder)).toEqual([0, 0.6, expect.closeTo(0.4, 12)]);
    expect(seatsOf(result)).toEqual([16, 13, 8]);
  });

  it('clamps an over-served unit to zero and levels the others among themselves', () => {
    // Prior 20/3/0, N = 10: total 33; raw targets 16.5 - 20 = -3.5, 9.9 - 3 = 6.9, 6.6.
    // Unit 1 is out. Units 2 and 3 (10,000 inhabitants, prior 3) reach the level
    // (10 + 3) / 10,000 = 1.3 per thousand: 7.8 - 3 = 4.8 and 5.2. Unit 1's own level,
    // 20 / 10,000 = 2 per thousand, is above it, so it stays out.
    // Floors 4 + 5 = 9; the seat left goes to remainder 0.8.
    const result = computeLegalKey(district([20, 3, 0]), 10);
    expect(quotasOf(result)).toEqual([0, 4.8, 5.2]);
    expect(seatsOf(result)).toEqual([0, 5, 5]);
  });

  it("leaves out a unit whose positive raw target comes only from another unit's excess", () => {
    // Prior 20/10/0, N = 6: total 36; raw targets 18 - 20 = -2, 10.8 - 10 = 0.8, 7.2.
    // Unit 3 alone reaches 6 / 4,000 = 1.5 per thousand, below unit 2's 10 / 6,000 = 1.67,
    // so all six go to unit 3. (Scaling the positive raw targets instead would give unit 2
    // 0.8 / 8 * 6 = 0.6 and hence a seat, raising it further above unit 3.)
    const result = computeLegalKey(district([20, 10, 0]), 6);
    expect(seatsOf(result)).toEqual([0, 0, 6]);
  });

  it('stops levelling at an exact tie of per-capita intake', () => {
    // Prior 20/9/0, N = 6: unit 3 reaches 6 / 4,000 = 1.5 per thousand, exactly unit 2's
    // 9 / 6,000; both are level and unit 2 gets nothing.
    expect(seatsOf(computeLegalKey(district([20, 9, 0]), 6))).toEqual([0, 0, 6]);
  });

  it('credits shared-accommodation places with the configured factor', () => {
    // Unit 3 runs 4 places. Factor 1: credited 5/0/4, total 46; raw 23 - 5 = 18, 13.8,
    // 9.2 - 4 = 5.2; floors 36, the seat goes to remainder 0.8: 18/14/5.
    const units = district([5, 0, 0], [0, 0, 4]);
    expect(seatsOf(computeLegalKey(units, 37, { shared_accommodation_credit: 1 }))).toEqual([18, 14, 5]);
    // Factor 0.5: credited 5/0/2, total 44; raw 17, 13.2, 8.8 - 2 = 6.8: 17/13/7.
    const half = computeLegalKey(units, 37, { shared_accommodation_credit: 0.5 });
    expect(seatsOf(half)).toEqual([17, 13, 7]);
    expect(half.units[2]!.credited_intake).toBe(2);
    // Off by default: as in the first example.
    expect(seatsOf(computeLegalKey(units, 37))).toEqual([16, 13, 8]);
  });

  it('breaks exact ties by key ascending, whatever the input order', () => {
    // Two equal units and N = 3: quotas 1.5 and 1.5; the lower key gets the second seat.
    const units = [unit(2, { population: 5_000 }), unit(1, { population: 5_000 })];
    const result = computeLegalKey(units, 3);
    expect(result.units.map((u) => [u.key, u.seats])).toEqual([
      ['010000000001', 2],
      ['010000000002', 1],
    ]);
  });

  it('treats remainders that are equal as rationals as equal', () => {
    // Populations 1, 1, 1 and N = 1: three remainders of exactly 1/3; the first key wins.
    const units = [1, 2, 3].map((i) => unit(i, { population: 1 }));
    expect(seatsOf(computeLegalKey(units, 1))).toEqual([1, 0, 0]);
  });

  it('carries the population reference date through', () => {
    const units = [unit(1, { population_date: '2023-12-31' }), unit(2, { population_date: undefined })];
    const result = computeLegalKey(units, 4);
    expect(result.units.map((u) => u.population_date)).toEqual(['2023-12-31', null]);
  });

  it('gives nothing to units without inhabitants and nothing at all for N = 0', () => {
    const units = [unit(1, { population: 0 }), unit(2)];
    expect(seatsOf(computeLegalKey(units, 5))).toEqual([0, 5]);
    expect(seatsOf(computeLegalKey(units, 0))).toEqual([0, 0]);
  });

  it('rejects invalid input', () => {
    expect(() => computeLegalKey([unit(1, { population: 0 })], 1)).toThrow(/inhabitants/);
    expect(() => computeLegalKey([unit(1), unit(1)], 1)).toThrow(/duplicate/);
    expect(() => computeLegalKey([unit(1, { prior_intake: -1 })], 1)).toThrow(RangeError);
    expect(() => computeLegalKey([unit(1)], 1.5)).toThrow(RangeError);
    expect(() => computeLegalKey([unit(1)], 1, { shared_accommodation_credit: -1 })).toThrow(RangeError);
  });
});
