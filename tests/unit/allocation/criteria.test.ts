import { describe, expect, it } from 'vitest';
import {
  SCORE_LIMIT,
  criterionScores,
  multipliers,
  scoreTable,
} from '../../../core/src/allocation/criteria.ts';
import { unit } from './fixtures.ts';

describe('criterionScores', () => {
  it('scores per-capita counts as log2 of the ratio to the district mean', () => {
    // 10 + 40 places over 20,000 inhabitants: mean 2.5 per thousand. Unit 1 has 1 per thousand
    // (log2 0.4), unit 2 has 4 per thousand (log2 1.6).
    const units = [unit(1, { criteria: { kita_free: 10 } }), unit(2, { criteria: { kita_free: 40 } })];
    const [low, high] = criterionScores(units, 'kita_free');
    expect(low).toBeCloseTo(Math.log2(0.4), 12);
    expect(high).toBeCloseTo(Math.log2(1.6), 12);
  });

  it('is neutral for an average unit, a missing value and a unit without inhabitants', () => {
    const units = [
      unit(1, { criteria: { school_free: 20 } }),
      unit(2, { criteria: { school_free: 20 } }),
      unit(3, { criteria: {} }),
      unit(4, { population: 0, criteria: { school_free: 99 } }),
    ];
    expect(criterionScores(units, 'school_free')).toEqual([0, 0, 0, 0]);
  });

  it('clips at a quarter and four times the mean; zero scores the lower limit', () => {
    // Mean 1,001 / 30,000: unit 2 (1 / 10,000) is far below, unit 3 at 3,000 / 1,001 within.
    const units = [1, 2, 3].map((i) => unit(i, { criteria: { health_care: [0, 1, 1000][i - 1]! } }));
    const scores = criterionScores(units, 'health_care');
    expect(scores.slice(0, 2)).toEqual([-SCORE_LIMIT, -SCORE_LIMIT]);
    expect(scores[2]).toBeCloseTo(Math.log2(3000 / 1001), 12);
    const extreme = [1, 2, 3, 4, 5].map((i) => unit(i, { criteria: { health_care: i === 5 ? 100 : 1 } }));
    expect(criterionScores(extreme, 'health_care')[4]).toBe(SCORE_LIMIT);
  });

  it('is neutral for everybody when nobody has any of it', () => {
    const units = [
      unit(1, { criteria: { language_course_free: 0 } }),
      unit(2, { criteria: { language_course_free: 0 } }),
    ];
    expect(criterionScores(units, 'language_course_free')).toEqual([0, 0]);
  });

  it('takes rates as they are and weighs the mean by population', () => {
    // Load 10 and 40 per thousand, populations 30,000 and 10,000: mean (300 + 400) / 40 = 17.5.
    const units = [
      unit(1, { population: 30_000, criteria: { load: 10 } }),
      unit(2, { population: 10_000, criteria: { load: 40 } }),
    ];
    const [a, b] = criterionScores(units, 'load');
    expect(a).toBeCloseTo(Math.log2(10 / 17.5), 12);
    expect(b).toBeCloseTo(Math.log2(40 / 17.5), 12);
  });

  it("falls back to the unit's free housing places for the housing criterion", () => {
    const units = [unit(1, { housing_free: 10 }), unit(2, { housing_free: 40 })];
    expect(criterionScores(units, 'housing_free')[1]).toBeCloseTo(Math.log2(1.6), 12);
  });
});

describe('multipliers', () => {
  const units = [
    unit(1, { criteria: { kita_free: 10, load: 40 } }),
    unit(2, { criteria: { kita_free: 40, load: 10 } }),
  ];

  it('is exactly 1 for every unit when all weights are zero', () => {
    expect(multipliers(scoreTable(units), {}, 2)).toEqual([1, 1]);
    expect(multipliers(scoreTable(units), { kita_free: 0, load: 0 }, 2)).toEqual([1, 1]);
  });

  it('raises units with more free places and lowers units with a higher load', () => {
    // Kita: scores log2 0.4 and log2 1.6; with weight 1 the factors are 0.4 and 1.6.
    const [low, high] = multipliers(scoreTable(units), { kita_free: 1 }, 2);
    expect(low).toBeCloseTo(0.4, 12);
    expect(high).toBeCloseTo(1.6, 12);
    // Load: mean 25 per thousand; direction -1 turns 40/25 into 25/40.
    const [loaded, light] = multipliers(scoreTable(units), { load: 1 }, 2);
    expect(loaded).toBeCloseTo(25 / 40, 12);
    expect(light).toBeCloseTo(25 / 10, 12);
  });
});
