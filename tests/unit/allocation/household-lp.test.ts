import { describe, expect, it } from 'vitest';
import { buildHouseholdModel, type MatchingProblem } from '../../../core/src/allocation/index.ts';
import { household, unit } from './fixtures.ts';

// Two units of 10,000 inhabitants; unit 1 has 4 places (2 barrier-free) and 6 Kita places,
// unit 2 has 8 places, none barrier-free, and 2 Kita places. Kita scores log2 1.5 and -1.
const units = [
  { ...unit(1, { housing_free: 4, criteria: { kita_free: 6 } }), housing_free_barrier_free: 2 },
  unit(2, { housing_free: 8, criteria: { kita_free: 2 } }),
];

describe('buildHouseholdModel', () => {
  it('writes one integer variable per group and unit where a household fits', () => {
    const problem: MatchingProblem = {
      units,
      groups: [
        { profile: household({ size: 3, children_0_2: 1 }), count: 2 },
        { profile: household({ needs_barrier_free: true }), count: 1 },
      ],
      weights: { kita_free: 1 },
      max_deviation: { unit: 'persons', value: 2 },
    };
    // 8 persons, legal key 4 / 4, band [2, 6]. The barrier-free couple fits only in unit 1.
    // Unit 1's 4 housing places hold one family of three at most: x_0_0 <= 1, not 2.
    expect(buildHouseholdModel(problem).lp).toBe(
      [
        '\\ Household matching: 2 profile groups in 2 classes, 2 units, 8 persons',
        'Maximize',
        ' fit: 0.584963 x_0_0 - 1 x_0_1',
        'Subject To',
        ' place_0: 1 x_0_0 + 1 x_0_1 = 2',
        ' place_1: 1 x_1_0 = 1',
        ' housing_0: 3 x_0_0 + 2 x_1_0 <= 4',
        ' barrier_free_0: 2 x_1_0 <= 2',
        ' kita_0: 1 x_0_0 <= 6',
        ' band_lo_0: 3 x_0_0 + 2 x_1_0 >= 2',
        ' band_hi_0: 3 x_0_0 + 2 x_1_0 <= 6',
        ' housing_1: 3 x_0_1 <= 8',
        ' kita_1: 1 x_0_1 <= 2',
        ' band_lo_1: 3 x_0_1 >= 2',
        ' band_hi_1: 3 x_0_1 <= 6',
        'Bounds',
        ' 0 <= x_0_0 <= 1',
        ' 0 <= x_0_1 <= 2',
        ' 0 <= x_1_0 <= 1',
        'General',
        ' x_0_0 x_0_1 x_1_0',
        'End',
        '',
      ].join('\n'),
    );
  });

  it('lists groups that fit nowhere and keeps their row with a variable fixed at zero', () => {
    const problem: MatchingProblem = {
      units,
      groups: [{ profile: household({ size: 9 }), count: 1 }],
      weights: {},
    };
    const model = buildHouseholdModel(problem);
    expect(model.unplaceable).toEqual([0]);
    expect(model.lp).toContain(' place_0: 0 x_0_none = 1');
    expect(model.lp).toContain(' x_0_none = 0');
  });

  it('wraps long expressions onto continuation lines', () => {
    const many = Array.from({ length: 12 }, (_, i) => unit(i + 1, { housing_free: 5 }));
    const lp = buildHouseholdModel({
      units: many,
      groups: [{ profile: household(), count: 3 }],
      weights: {},
    }).lp;
    expect(lp).toContain(
      ' place_0: 1 x_0_0 + 1 x_0_1 + 1 x_0_2 + 1 x_0_3 + 1 x_0_4 + 1 x_0_5 + 1 x_0_6 + 1 x_0_7\n   + 1 x_0_8',
    );
  });
});
