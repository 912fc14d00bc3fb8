import { describe, expect, it } from 'vitest';
import { fitMatrix, groupProfiles, type HouseholdProfile, type MatchingUnit } from '@ilk/core';
import { explainHouseholds } from '../../client/src/lib/state/household-explain.ts';

const unit = (n: number, fields: Partial<MatchingUnit>): MatchingUnit => ({
  key: `01099000000${n}`, name: `Unit ${n}`, population: 10_000, prior_intake: 0, housing_free: 20, housing_free_barrier_free: 0, criteria: {}, ...fields,
});
// Kita places per inhabitant: unit 1 best, unit 2 middling, unit 3 poor.
const UNITS = [
  unit(1, { housing_free: 4, criteria: { kita_free: 80 } }),
  unit(2, { criteria: { kita_free: 40 } }),
  unit(3, { housing_free_barrier_free: 5, criteria: { kita_free: 10 } }),
];
const family = (fields: Partial<HouseholdProfile> = {}): HouseholdProfile => ({
  size: 3, children_0_2: 0, children_3_5: 1, children_6_17: 0, languages: [], needs_barrier_free: false, needs_medical: false, ...fields,
});
const WEIGHTS = { kita_free: 1 };

function explain(profiles: HouseholdProfile[], placements: { group: number; unit_key: string; households: number }[]) {
  const groups = groupProfiles(profiles);
  return explainHouseholds({ units: UNITS, weights: WEIGHTS, maxDeviation: null, credit: 0, profiles, groups, placements });
}

describe('why each household went where it went', () => {
  it('names the better unit that was full, and the lower fit of the next one', () => {
    // Two families; unit 1 has housing for one of them only.
    const result = explain([family(), family()], [{ group: 0, unit_key: UNITS[0]!.key, households: 1 }, { group: 0, unit_key: UNITS[1]!.key, households: 1 }]);
    const fit = fitMatrix(groupProfiles([family()]), UNITS, WEIGHTS)[0]!;
    expect(result[0]).toMatchObject({ index: 0, chosen: { name: 'Unit 1' }, runnerUp: { name: 'Unit 2' }, reason: { kind: 'lower_fit' } });
    expect((result[0]!.reason as { delta: number }).delta).toBeCloseTo(fit[0]! - fit[1]!, 12);
    expect(result[1]).toMatchObject({ index: 1, chosen: { name: 'Unit 2' }, runnerUp: { name: 'Unit 1' }, reason: { kind: 'full', limits: ['housing'] } });
  });

  it('says when no other unit could take the household at all', () => {
    const result = explain([family({ needs_barrier_free: true })], [{ group: 0, unit_key: UNITS[2]!.key, households: 1 }]);
    expect(result[0]).toMatchObject({ chosen: { name: 'Unit 3' }, runnerUp: null, reason: { kind: 'only' } });
  });

  it('keeps the order the households were entered in, whatever the grouping', () => {
    const single = family({ size: 1, children_3_5: 0 });
    const profiles = [single, family(), single];
    const groups = groupProfiles(profiles);
    const g = (p: HouseholdProfile) => groups.findIndex((x) => x.profile.size === p.size);
    const result = explainHouseholds({
      units: UNITS, weights: WEIGHTS, maxDeviation: null, credit: 0, profiles, groups,
      placements: [{ group: g(single), unit_key: UNITS[1]!.key, households: 2 }, { group: g(family()), unit_key: UNITS[0]!.key, households: 1 }],
    });
    expect(result.map((e) => [e.index, e.profile.size, e.chosen?.name])).toEqual([[0, 1, 'Unit 2'], [1, 3, 'Unit 1'], [2, 1, 'Unit 2']]);
    // Kita does not matter to a single adult: every unit fits alike.
    expect(result[0]!.reason).toEqual({ kind: 'equal_fit' });
  });

  it('reports a household without a placement as not placed', () => {
    const result = explain([family(), family()], [{ group: 0, unit_key: UNITS[0]!.key, households: 1 }]);
    expect(result[1]).toMatchObject({ chosen: null, reason: { kind: 'unplaced' } });
  });
});
