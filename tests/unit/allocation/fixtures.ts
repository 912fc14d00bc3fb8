import type {
  AllocationUnit,
  HouseholdProfile,
  MatchingProblem,
} from '../../../core/src/allocation/index.ts';

/** An allocation unit with ARS 01000000000<n>-style key and roomy defaults. */
export function unit(index: number, fields: Partial<AllocationUnit> = {}): AllocationUnit {
  return {
    key: `0100000000${String(index).padStart(2, '0')}`,
    name: `Verband ${index}`,
    population: 10_000,
    population_date: '2024-12-31',
    prior_intake: 0,
    housing_free: 1_000,
    criteria: {},
    ...fields,
  };
}

/** Deterministic pseudo-random generator (mulberry32), so generated districts are reproducible. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A district shaped like Schleswig-Holstein's 1,108 Gemeinden: many small, a few large. */
export function generateDistrict(count: number, seed: number): AllocationUnit[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const population = Math.round(100 + 200_000 * next() ** 60);
    const perThousand = (scale: number) => Math.round((population / 1000) * scale * next());
    return {
      key: String(10_000_000_000 + i * 1_000).padStart(12, '0'),
      name: `Gemeinde ${i}`,
      population,
      population_date: '2024-12-31',
      prior_intake: perThousand(4),
      housing_free: perThousand(6),
      criteria: {
        kita_free: perThousand(2),
        school_free: perThousand(3),
        language_course_free: perThousand(2),
        health_care: perThousand(1),
        labour_market: perThousand(10),
        load: 20 * next(),
        open_needs: Math.round(5 * next()),
      },
    };
  });
}

/** A household profile: two adults unless told otherwise. */
export function household(fields: Partial<HouseholdProfile> = {}): HouseholdProfile {
  return {
    size: 2,
    children_0_2: 0,
    children_3_5: 0,
    children_6_17: 0,
    languages: [],
    needs_barrier_free: false,
    needs_medical: false,
    ...fields,
  };
}

// Unit 1: 4 places, Kita score log2 1.5, offers in Arabic; unit 2: 8 places, Kita score -1.
// The family (one child under six) fits 0.585 in unit 1 and -1 in unit 2; the Arabic-speaking
// couple 2 in unit 1 and 0 in unit 2. Only one of them fits into unit 1.
export const tradeOff: MatchingProblem = {
  units: [
    { ...unit(1, { housing_free: 4, criteria: { kita_free: 6 } }), languages: ['ar'] },
    unit(2, { housing_free: 8, criteria: { kita_free: 2 } }),
  ],
  groups: [
    { profile: household({ size: 4, children_3_5: 1 }), count: 1 },
    { profile: household({ languages: ['ar'] }), count: 1 },
  ],
  weights: { kita_free: 1, language_match: 2 },
};
