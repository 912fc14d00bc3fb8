import { describe, expect, it } from 'vitest';
import { deviationPersons, infeasibility, unitBounds } from '../../../core/src/allocation/bounds.ts';
import { unit } from './fixtures.ts';

describe('deviationPersons', () => {
  it('rounds a percentage of the legal seats down', () => {
    expect(deviationPersons({ unit: 'percent', value: 10 }, 25)).toBe(2);
    expect(deviationPersons({ unit: 'percent', value: 10 }, 30)).toBe(3);
    expect(deviationPersons({ unit: 'persons', value: 4 }, 30)).toBe(4);
    expect(deviationPersons(undefined, 30)).toBe(Infinity);
  });
});

describe('unitBounds', () => {
  it('caps by free housing and leaves the lower bound at zero by default', () => {
    const b = unitBounds(unit(1, { housing_free: 7 }), 10, {});
    expect(b).toMatchObject({ lo: 0, hi: 7, hi_kinds: ['housing_cap'], conflict: null });
  });

  it('intersects minimum, maximum and the deviation band', () => {
    const b = unitBounds(unit(1), 10, {
      bounds: { '010000000001': { min: 9, max: 12 } },
      max_deviation: { unit: 'persons', value: 3 },
    });
    expect(b).toMatchObject({ lo: 9, hi: 12, lo_kinds: ['minimum'], hi_kinds: ['maximum'] });
  });

  it('lets the deviation band yield to a hard cap and to an explicit minimum', () => {
    // Legal 10 ± 2 would need at least 8 places; only 5 are free, so the range is [5, 5].
    const capped = unitBounds(unit(1, { housing_free: 5 }), 10, {
      max_deviation: { unit: 'persons', value: 2 },
    });
    expect(capped).toMatchObject({ lo: 5, hi: 5, conflict: null });
    const raised = unitBounds(unit(1), 10, {
      bounds: { '010000000001': { min: 15 } },
      max_deviation: { unit: 'persons', value: 2 },
    });
    expect(raised).toMatchObject({ lo: 15, hi: 15 });
  });

  it('pins an excluded unit at zero', () => {
    const b = unitBounds(unit(1), 10, {
      excluded: ['010000000001'],
      max_deviation: { unit: 'persons', value: 1 },
    });
    expect(b).toMatchObject({ lo: 0, hi: 0, hi_kinds: ['excluded'] });
  });

  it('flags a minimum above a hard cap as a conflict', () => {
    const b = unitBounds(unit(1, { housing_free: 3 }), 10, { bounds: { '010000000001': { min: 5 } } });
    expect(b.conflict).toEqual({ cap: 3, cap_kinds: ['housing_cap'] });
  });
});

describe('infeasibility', () => {
  const units = [unit(1, { housing_free: 4 }), unit(2, { housing_free: 3 })];

  it('reports missing capacity with every cap', () => {
    const bounds = units.map((u) => unitBounds(u, 5, {}));
    expect(infeasibility(units, bounds, 10)).toEqual({
      reason: 'insufficient_capacity',
      shortfall: 3,
      binding: [
        { unit_key: '010000000001', kind: 'housing_cap', value: 4 },
        { unit_key: '010000000002', kind: 'housing_cap', value: 3 },
      ],
    });
    expect(infeasibility(units, bounds, 7)).toBeNull();
  });

  it('reports minimums above N', () => {
    const input = { bounds: { '010000000001': { min: 4 }, '010000000002': { min: 3 } } };
    const bounds = units.map((u) => unitBounds(u, 3, input));
    expect(infeasibility(units, bounds, 5)).toMatchObject({ reason: 'minimums_exceed_total', shortfall: 2 });
  });

  it('reports a minimum that collides with a cap before anything else', () => {
    const input = { bounds: { '010000000002': { min: 5 } } };
    const bounds = units.map((u) => unitBounds(u, 3, input));
    expect(infeasibility(units, bounds, 5)).toEqual({
      reason: 'conflicting_bounds',
      shortfall: 2,
      binding: [
        { unit_key: '010000000002', kind: 'minimum', value: 5 },
        { unit_key: '010000000002', kind: 'housing_cap', value: 3 },
      ],
    });
  });
});
