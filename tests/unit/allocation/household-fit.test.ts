import { describe, expect, it } from 'vitest';
import { fitMatrix, householdFit, relevance } from '../../../core/src/allocation/index.ts';
import { scoreTable } from '../../../core/src/allocation/criteria.ts';
import { household, unit } from './fixtures.ts';

describe('relevance', () => {
  it('counts the members a criterion concerns', () => {
    const family = household({
      size: 5,
      children_0_2: 1,
      children_3_5: 1,
      children_6_17: 1,
      needs_medical: true,
    });
    expect(relevance('kita_free', family)).toBe(2);
    expect(relevance('school_free', family)).toBe(1);
    expect(relevance('language_course_free', family)).toBe(2);
    expect(relevance('labour_market', family)).toBe(2);
    expect(relevance('health_care', family)).toBe(2);
    expect(relevance('load', family)).toBe(1);
  });
});

describe('householdFit', () => {
  // Kita places 6 and 2 per 10,000: mean 4, scores log2 1.5 and log2 0.5 = -1.
  const units = [
    unit(1, { criteria: { kita_free: 6 } }),
    { ...unit(2, { criteria: { kita_free: 2 } }), languages: ['ar'] },
  ];
  const scores = scoreTable(units);

  it('weighs the district-relative score by relevance', () => {
    const family = household({ size: 4, children_0_2: 1, children_3_5: 1 });
    // Two children under six, weight 0.5: 0.5 * 2 * log2 1.5 and 0.5 * 2 * -1.
    expect(householdFit(family, units[0]!, scores, 0, { kita_free: 0.5 })).toBeCloseTo(Math.log2(1.5), 12);
    expect(householdFit(family, units[1]!, scores, 1, { kita_free: 0.5 })).toBeCloseTo(-1, 12);
  });

  it('adds the language bonus where offers exist in a household language', () => {
    const matrix = fitMatrix([{ profile: household({ languages: ['ar'] }), count: 1 }], units, {
      language_match: 3,
    });
    expect(matrix).toEqual([[0, 3]]);
  });
});
