import { describe, expect, it } from 'vitest';
import { unitBounds } from '../../../core/src/allocation/bounds.ts';
import { scoreTable } from '../../../core/src/allocation/criteria.ts';
import { explainUnit } from '../../../core/src/allocation/explain.ts';
import { computeLegalKey } from '../../../core/src/allocation/legal-key.ts';
import { unit } from './fixtures.ts';

describe('explainUnit', () => {
  const units = [
    unit(1, { housing_free: 3, criteria: { kita_free: 10, open_needs: 4 } }),
    unit(2, { criteria: { kita_free: 30, open_needs: 1 } }),
  ];
  const legal = computeLegalKey(units, 10).units;
  const weights = { kita_free: 1, open_needs: 0.5 };
  const base = {
    unit: units[0]!,
    index: 0,
    legal: legal[0]!,
    bounds: unitBounds(units[0]!, legal[0]!.seats, {}),
    scores: scoreTable(units),
    weights,
    multiplier: 0.5 * 2 ** (-0.5 * Math.log2(1.6)),
    target: 4,
    bounded_target: 3,
    seats: 3,
  };

  it('lists a factor per criterion whose product is the multiplier', () => {
    const explained = explainUnit({ ...base, desired: 4 });
    const product = explained.contributions.reduce((p, c) => p * c.factor, 1);
    // Kita 10 of mean 20 per 10,000: factor 1/2. Open needs 4 of mean 2.5: score log2 1.6,
    // direction -1, weight 1/2: factor 1.6^-0.5.
    expect(product).toBeCloseTo(base.multiplier, 12);
    expect(explained.contributions.find((c) => c.criterion === 'housing_free')).toMatchObject({
      value: 3,
      factor: 1,
    });
  });

  it('names the bound that holds the unit back and the deviation from the legal key', () => {
    const explained = explainUnit({ ...base, desired: 4 });
    expect(explained).toMatchObject({
      binding: ['housing_cap'],
      legal_seats: 5,
      deviation_persons: -2,
      deviation_percent: -40,
    });
    expect(explainUnit({ ...base, desired: 3 }).binding).toEqual([]);
  });
});
