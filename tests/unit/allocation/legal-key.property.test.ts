import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLegalKey, type LegalKeyUnitInput } from '../../../core/src/allocation/index.ts';

const unitsArb = fc
  .array(
    fc.record({
      population: fc.integer({ min: 0, max: 200_000 }),
      prior_intake: fc.integer({ min: 0, max: 500 }),
      shared_accommodation_places: fc.integer({ min: 0, max: 50 }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) =>
    rows.map((row, i): LegalKeyUnitInput => ({
      ...row,
      key: `01${String(i).padStart(10, '0')}`,
      name: `V${i}`,
    })),
  )
  .filter((units) => units.some((u) => u.population > 0));

const caseArb = fc.record({
  units: unitsArb,
  n: fc.integer({ min: 0, max: 3_000 }),
  credit: fc.constantFrom(0, 0.25, 1),
});

describe('computeLegalKey properties', () => {
  it('apportions exactly n, each unit its quota rounded down or up', () => {
    fc.assert(
      fc.property(caseArb, ({ units, n, credit }) => {
        const result = computeLegalKey(units, n, { shared_accommodation_credit: credit });
        expect(result.units.reduce((sum, u) => sum + u.seats, 0)).toBe(n);
        expect(result.units.reduce((sum, u) => sum + u.quota, 0)).toBeCloseTo(n, 6);
        for (const u of result.units) expect(u.seats - u.floor).toBeOneOf([0, 1]);
      }),
      { numRuns: 200 },
    );
  });

  it('brings every receiving unit to one level of credited intake per inhabitant', () => {
    // Receiving units end at (credited + quota) / population = L; the others already stand at
    // or above L. Compared in persons per 1,000 inhabitants with a float tolerance.
    fc.assert(
      fc.property(
        caseArb.filter(({ n }) => n > 0),
        ({ units, n, credit }) => {
          const result = computeLegalKey(units, n, { shared_accommodation_credit: credit });
          const level = (u: (typeof result.units)[number]) =>
            (1000 * (u.credited_intake + u.quota)) / u.population;
          const inhabited = result.units.filter((u) => u.population > 0);
          const common = Math.max(...inhabited.filter((u) => u.quota > 0).map(level));
          for (const u of inhabited) {
            if (u.quota > 0) expect(level(u)).toBeCloseTo(common, 6);
            else expect(level(u)).toBeGreaterThanOrEqual(common - 1e-6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
