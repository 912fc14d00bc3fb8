import type { HouseholdProfile } from './households.ts';

// The household mix of the arrival simulation. Shares are rounded from the published picture
// of a German district's intake in 2023-24 (BAMF first asylum applications by country of
// origin, plus persons from Ukraine under the temporary-protection rule): Syria and Ukraine
// lead, then Afghanistan and Turkey; Ukrainian arrivals are mostly women with children and
// older people, the others mostly young single men and families. These are plausible shapes
// for a planning exercise, not statistics about any real district.

/** A pseudo-random number in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for simulation; the same seed, the same stream. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index drawn with probability proportional to its weight. */
export function pick(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

export const integer = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

export const HOUSEHOLD_TYPES = [
  'single',
  'couple',
  'single_parent',
  'young_family',
  'school_family',
  'large_family',
  'elderly',
] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

interface Origin {
  name: string;
  share: number;
  /** Languages every adult speaks, and a second one some speak (with its probability). */
  languages: string[];
  second?: [language: string, probability: number];
  /** Weights in the order of HOUSEHOLD_TYPES. */
  types: [number, number, number, number, number, number, number];
}

export const ORIGINS: readonly Origin[] = [
  { name: 'Syria', share: 0.24, languages: ['ar'], second: ['ku', 0.15], types: [30, 8, 7, 25, 15, 12, 3] },
  { name: 'Ukraine', share: 0.22, languages: ['uk'], second: ['ru', 0.6], types: [15, 8, 32, 12, 12, 3, 18] },
  { name: 'Afghanistan', share: 0.15, languages: ['fa'], second: ['ps', 0.3], types: [40, 5, 5, 20, 12, 15, 3] },
  { name: 'Turkey', share: 0.1, languages: ['tr'], second: ['ku', 0.4], types: [50, 15, 5, 15, 10, 3, 2] },
  { name: 'Iraq', share: 0.06, languages: ['ar'], second: ['ku', 0.5], types: [30, 8, 7, 25, 15, 12, 3] },
  { name: 'Eritrea', share: 0.06, languages: ['ti'], types: [60, 5, 15, 12, 5, 3, 0] },
  { name: 'Iran', share: 0.05, languages: ['fa'], types: [45, 20, 5, 15, 10, 2, 3] },
  { name: 'Somalia', share: 0.04, languages: ['so'], types: [60, 5, 15, 12, 5, 3, 0] },
  { name: 'Russia', share: 0.04, languages: ['ru'], types: [45, 20, 10, 10, 10, 0, 5] },
  { name: 'other', share: 0.04, languages: ['en'], types: [50, 15, 10, 10, 10, 2, 3] },
];

/** Some adults of every origin speak English or German already (earlier stays, school). */
const EXTRA_LANGUAGES: [string, number][] = [
  ['en', 0.12],
  ['de', 0.06],
];

/** Barrier-free and medical needs: frequent among older arrivals, rare otherwise. */
const NEEDS = { elderly: { barrier_free: 0.35, medical: 0.4 }, other: { barrier_free: 0.02, medical: 0.07 } };

function children(random: Random, count: number, firstUnder6: boolean, schoolOnly: boolean) {
  const bands = { children_0_2: 0, children_3_5: 0, children_6_17: 0 };
  for (let i = 0; i < count; i++) {
    // Ages uniform over 0-17, so the bands are drawn 3 : 3 : 12.
    const band = schoolOnly ? 2 : i === 0 && firstUnder6 ? pick(random, [1, 1]) : pick(random, [3, 3, 12]);
    if (band === 0) bands.children_0_2 += 1;
    else if (band === 1) bands.children_3_5 += 1;
    else bands.children_6_17 += 1;
  }
  return bands;
}

/** Adults and children of a household type. */
function composition(random: Random, type: HouseholdType) {
  switch (type) {
    case 'single':
      return { adults: 1, ...children(random, 0, false, false) };
    case 'couple':
      return { adults: 2, ...children(random, 0, false, false) };
    case 'single_parent':
      return { adults: 1, ...children(random, integer(random, 1, 3), random() < 0.6, false) };
    case 'young_family':
      return { adults: 2, ...children(random, integer(random, 1, 3), true, false) };
    case 'school_family':
      return { adults: 2, ...children(random, integer(random, 1, 3), false, true) };
    case 'large_family':
      return { adults: 2, ...children(random, integer(random, 4, 6), true, false) };
    case 'elderly':
      return { adults: integer(random, 1, 2), ...children(random, 0, false, false) };
  }
}

/** One anonymous household drawn from the mix. */
export function drawHousehold(random: Random): HouseholdProfile {
  const origin = ORIGINS[pick(random, ORIGINS.map((o) => o.share))]!;
  const type = HOUSEHOLD_TYPES[pick(random, origin.types)]!;
  const { adults, ...kids } = composition(random, type);
  const languages = [...origin.languages];
  if (origin.second && random() < origin.second[1]) languages.push(origin.second[0]);
  for (const [language, probability] of EXTRA_LANGUAGES) if (random() < probability) languages.push(language);
  const needs = type === 'elderly' ? NEEDS.elderly : NEEDS.other;
  return {
    size: adults + kids.children_0_2 + kids.children_3_5 + kids.children_6_17,
    ...kids,
    languages: [...new Set(languages)].sort(),
    needs_barrier_free: random() < needs.barrier_free,
    needs_medical: random() < needs.medical,
  };
}

/** Expected demand per household, estimated once from a large fixed-seed sample. */
export interface MixMeans {
  persons: number;
  under6: number;
  school: number;
  barrier_free_persons: number;
}

let cached: MixMeans | undefined;

export function mixMeans(): MixMeans {
  if (cached) return cached;
  const random = mulberry32(0x5eed);
  const n = 20_000;
  const sum = { persons: 0, under6: 0, school: 0, barrier_free_persons: 0 };
  for (let i = 0; i < n; i++) {
    const h = drawHousehold(random);
    sum.persons += h.size;
    sum.under6 += h.children_0_2 + h.children_3_5;
    sum.school += h.children_6_17;
    if (h.needs_barrier_free) sum.barrier_free_persons += h.size;
  }
  cached = {
    persons: sum.persons / n,
    under6: sum.under6 / n,
    school: sum.school / n,
    barrier_free_persons: sum.barrier_free_persons / n,
  };
  return cached;
}
