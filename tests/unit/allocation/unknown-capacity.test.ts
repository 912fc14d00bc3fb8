import { describe, expect, it } from 'vitest';
import { housingCap, infeasibility, unitBounds } from '../../../core/src/allocation/bounds.ts';
import { criterionScores } from '../../../core/src/allocation/criteria.ts';
import { unitCapacities } from '../../../core/src/allocation/household-capacity.ts';
import { greedyMatching } from '../../../core/src/allocation/household-greedy.ts';
import { groupProfiles } from '../../../core/src/allocation/households.ts';
import { missingReports, reportStatus } from '../../../core/src/allocation/report-status.ts';
import { suggestAllocation } from '../../../core/src/allocation/suggest.ts';
import { computeLegalKey } from '../../../core/src/allocation/legal-key.ts';
import { household, unit } from './fixtures.ts';

// A unit that never reported has housing_free null: "unknown", which the coordinator counts
// either as no room or as unlimited (docs/allocation.md, "Unknown capacities").
const unknown = (i: number, fields = {}) => unit(i, { housing_free: null, ...fields });

describe('housingCap', () => {
  it('keeps a reported number, 0 included, whatever the policy', () => {
    expect(housingCap({ housing_free: 0 }, 'unlimited')).toBe(0);
    expect(housingCap({ housing_free: 7 }, 'none')).toBe(7);
  });

  it('counts unknown as no room by default and as no cap when asked', () => {
    expect(housingCap({ housing_free: null }, undefined)).toBe(0);
    expect(housingCap({ housing_free: null }, 'none')).toBe(0);
    expect(housingCap({ housing_free: null }, 'unlimited')).toBe(Infinity);
  });
});

describe('unitBounds with unknown capacity', () => {
  it('caps at 0 under "none" and names the cause unknown_capacity, not housing_cap', () => {
    const b = unitBounds(unknown(1), 10, { unknown_capacity: 'none', max_deviation: { unit: 'persons', value: 2 } });
    expect(b).toMatchObject({ lo: 0, hi: 0, hi_kinds: ['unknown_capacity'], conflict: null });
  });

  it('leaves only the band and explicit maximum under "unlimited"', () => {
    expect(unitBounds(unknown(1), 10, { unknown_capacity: 'unlimited' })).toMatchObject({ lo: 0, hi: Infinity, hi_kinds: [] });
    const banded = unitBounds(unknown(1), 10, { unknown_capacity: 'unlimited', max_deviation: { unit: 'persons', value: 2 } });
    expect(banded).toMatchObject({ lo: 8, hi: 12, lo_kinds: ['max_deviation'], hi_kinds: ['max_deviation'] });
    const capped = unitBounds(unknown(1), 10, { unknown_capacity: 'unlimited', bounds: { '010000000001': { max: 4 } } });
    expect(capped).toMatchObject({ hi: 4, hi_kinds: ['maximum'] });
  });

  it('treats a reported 0 as a housing cap under either policy', () => {
    for (const policy of ['none', 'unlimited'] as const) {
      expect(unitBounds(unit(1, { housing_free: 0 }), 10, { unknown_capacity: policy })).toMatchObject({ hi: 0, hi_kinds: ['housing_cap'] });
    }
  });

  it('reports a minimum on an unknown unit under "none" as a conflict with the unknown capacity', () => {
    const units = [unknown(1), unit(2)];
    const input = { unknown_capacity: 'none' as const, bounds: { '010000000001': { min: 3 } } };
    const bounds = units.map((u) => unitBounds(u, 5, input));
    expect(infeasibility(units, bounds, 10)).toEqual({
      reason: 'conflicting_bounds',
      shortfall: 3,
      binding: [
        { unit_key: '010000000001', kind: 'minimum', value: 3 },
        { unit_key: '010000000001', kind: 'unknown_capacity', value: 0 },
      ],
    });
  });
});

describe('suggestAllocation with unknown capacities', () => {
  const district = [unknown(1), unknown(2), unit(3, { housing_free: 5 })];

  it('is infeasible under "none" and names the unknown units among the binding caps', () => {
    const result = suggestAllocation({ units: district, n: 30, weights: {}, unknown_capacity: 'none' });
    expect(result).toEqual({
      ok: false,
      infeasibility: {
        reason: 'insufficient_capacity',
        shortfall: 25,
        binding: [
          { unit_key: '010000000001', kind: 'unknown_capacity', value: 0 },
          { unit_key: '010000000002', kind: 'unknown_capacity', value: 0 },
          { unit_key: '010000000003', kind: 'housing_cap', value: 5 },
        ],
      },
    });
    // The default is "none".
    expect(suggestAllocation({ units: district, n: 30, weights: {} }).ok).toBe(false);
  });

  it('places everyone under "unlimited", the reported unit still at most at its places', () => {
    const result = suggestAllocation({ units: district, n: 30, weights: { kita_free: 1 }, unknown_capacity: 'unlimited' });
    if (!result.ok) throw new Error('expected a suggestion');
    expect(result.units.map((u) => u.seats)).toEqual([13, 12, 5]);
    expect(result.units.reduce((s, u) => s + u.seats, 0)).toBe(30);
    expect(result.units[0]!.upper_bound).toBe(Infinity);
    expect(result.units[2]!.binding).toEqual(['housing_cap']);
  });

  it('gives the legal key exactly when nothing binds under "unlimited"', () => {
    const result = suggestAllocation({ units: district.map((u) => ({ ...u, housing_free: null })), n: 31, weights: {}, unknown_capacity: 'unlimited' });
    const legal = computeLegalKey(district, 31);
    expect(result.ok && result.units.map((u) => u.seats)).toEqual(legal.units.map((u) => u.seats));
  });

  it('scores unknown housing and missing criteria as average, not as none', () => {
    const units = [unknown(1), unit(2, { housing_free: 40, criteria: { kita_free: 10 } }), unit(3, { housing_free: 10, criteria: { kita_free: 5 } })];
    expect(criterionScores(units, 'housing_free')[0]).toBe(0);
    expect(criterionScores(units, 'kita_free')[0]).toBe(0);
    // A reported 0 is the worst score.
    expect(criterionScores([unit(1, { housing_free: 0 }), ...units.slice(1)], 'housing_free')[0]).toBe(-2);
  });
});

describe('household capacities with unknown capacity', () => {
  const groups = groupProfiles([household({ size: 3, needs_barrier_free: true }), household({ size: 2 })]);
  const units = [unknown(1, { housing_free_barrier_free: null }), { ...unit(2, { housing_free: 2 }), housing_free_barrier_free: 0 }];

  it('counts housing and barrier-free places of a unit without report by the policy', () => {
    const none = unitCapacities({ units, groups, weights: {}, unknown_capacity: 'none' });
    expect(none[0]).toMatchObject({ housing: 0, barrier_free: 0 });
    const unlimited = unitCapacities({ units, groups, weights: {}, unknown_capacity: 'unlimited' });
    expect(unlimited[0]).toMatchObject({ housing: Infinity, barrier_free: Infinity, kita: Infinity });
    expect(unlimited[1]).toMatchObject({ housing: 2, barrier_free: 0 });
  });

  it('places the households into the unknown unit only under "unlimited"', () => {
    const none = greedyMatching({ units, groups, weights: {}, unknown_capacity: 'none' });
    expect(none.unplaced).toEqual([{ group: 0, households: 1 }]);
    const unlimited = greedyMatching({ units, groups, weights: {}, unknown_capacity: 'unlimited' });
    expect(unlimited.unplaced).toEqual([]);
    expect(unlimited.placements.find((p) => p.group === 0)?.unit_key).toBe('010000000001');
    expect(unlimited.below_band.every((b) => Number.isFinite(b.persons))).toBe(true);
  });
});

describe('reportStatus', () => {
  const base = { key: '010000000001', name: 'Amt A', known_since: '2026-11-20T10:00:00.000Z' };

  it('says since when a unit without report is unknown', () => {
    expect(reportStatus({ ...base, report_date: null }, '2026-12-04')).toEqual({ key: base.key, name: 'Amt A', status: 'unknown', since: base.known_since, days: 14 });
  });

  it('marks a report older than 90 days as stale', () => {
    expect(reportStatus({ ...base, report_date: '2026-09-05' }, '2026-12-04').status).toBe('current');
    expect(reportStatus({ ...base, report_date: '2026-09-04' }, '2026-12-04').status).toBe('stale');
  });

  it('lists unknown units first, then the oldest reports, and leaves current ones out', () => {
    const list = missingReports([
      { ...base, key: '010000000003', name: 'C', report_date: '2026-01-01' },
      { ...base, key: '010000000002', name: 'B', report_date: '2026-12-01' },
      { ...base, key: '010000000001', name: 'A', report_date: null },
    ], '2026-12-04');
    expect(list.map((s) => [s.name, s.status])).toEqual([['A', 'unknown'], ['C', 'stale']]);
  });
});
