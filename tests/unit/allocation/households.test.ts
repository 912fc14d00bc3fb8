import { describe, expect, it } from 'vitest';
import {
  canonicalProfile,
  groupProfiles,
  totalPersons,
  type HouseholdProfile,
} from '../../../core/src/allocation/index.ts';
import { validateMatchingProblem } from '../../../core/src/allocation/households.ts';
import { household, unit } from './fixtures.ts';

describe('groupProfiles', () => {
  it('counts identical profiles once, whatever the order and case of their languages', () => {
    const groups = groupProfiles([
      household({ languages: ['ar', 'EN'] }),
      household({ size: 5, children_6_17: 3 }),
      household({ languages: ['en', 'ar', 'ar'] }),
    ]);
    expect(groups).toEqual([
      { profile: household({ size: 5, children_6_17: 3 }), count: 1 },
      { profile: household({ languages: ['ar', 'en'] }), count: 2 },
    ]);
    expect(totalPersons(groups)).toBe(9);
  });

  it('keeps profiles apart that differ only in a need', () => {
    const groups = groupProfiles([household(), household({ needs_medical: true })]);
    expect(groups).toHaveLength(2);
  });
});

describe('canonicalProfile', () => {
  it('copies only the anonymous fields', () => {
    const withName = { ...household(), name: 'Muster' } as ReturnType<typeof household>;
    expect(Object.keys(canonicalProfile(withName))).not.toContain('name');
  });
});

describe('validateMatchingProblem', () => {
  it('rejects profiles the CSV parser would have refused', () => {
    const problem = (profile: HouseholdProfile) => ({ units: [unit(1)], groups: [{ profile, count: 1 }], weights: {} });
    expect(() => validateMatchingProblem(problem(household({ size: 0 })))).toThrow(RangeError);
    expect(() => validateMatchingProblem(problem(household({ size: 1, children_6_17: 2 })))).toThrow(RangeError);
    expect(() => validateMatchingProblem(problem(household({ size: 1.5 })))).toThrow(RangeError);
    expect(() => validateMatchingProblem(problem(household()))).not.toThrow();
  });
});
