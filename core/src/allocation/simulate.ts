import type { HouseholdProfile, MatchingUnit, MatchingWeights } from './households.ts';
import { computeLegalKey } from './legal-key.ts';
import type { OnlineYear } from './online-model.ts';
import { drawHousehold, integer, mixMeans, mulberry32, pick, type Random } from './simulate-mix.ts';

// A simulated year of a rural German district (Kreis): one Kreisstadt, two small towns and
// rural Ämter. Towns have jobs, doctors and language courses but little free housing and few
// free Kita places; the Ämter have housing and Kita places but few jobs. That is the trade-off
// that makes early placements matter: a single adult gains a little from a town place, a later
// family with small children would gain much more from the same Kita-rich rural place.

export interface SimulationOptions {
  seed: number;
  /** Allocation units of the district (at least 3). */
  units?: number;
  weeks?: number;
  /** Persons the district must take in over the year (its quota from the Land). */
  persons?: number;
  /** Housing places within the band of the legal key / persons of the year. */
  housing_tightness?: number;
  /** Yearly free Kita places / expected children under six; school and barrier-free likewise. */
  kita_tightness?: number;
  school_tightness?: number;
  barrier_free_tightness?: number;
}

const DEFAULTS = {
  units: 12,
  weeks: 52,
  persons: 1_100,
  housing_tightness: 1.05,
  kita_tightness: 1.2,
  school_tightness: 1.25,
  barrier_free_tightness: 2,
};

/** The legal key's band: +-15 % of the seats, the upper end a hard cap. */
const BAND = { unit: 'percent', value: 15 } as const;

/** The coordinator's weights: jobs and Kita count most, the shared language as much as a job. */
export const SIMULATION_WEIGHTS: MatchingWeights = {
  kita_free: 1,
  school_free: 0.5,
  language_course_free: 0.5,
  health_care: 0.5,
  labour_market: 1,
  load: 0.5,
  language_match: 1,
};

/** Languages in which a unit may run offers, weighted by how many arrivals speak them. */
const OFFER_LANGUAGES: [string, number][] = [
  ['ar', 30],
  ['uk', 22],
  ['fa', 20],
  ['tr', 10],
  ['ru', 10],
  ['ku', 8],
  ['ti', 6],
  ['so', 4],
  ['ps', 4],
];

const uniform = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();

/** Share of the year's arrivals per week: a seasonal swing of +-35 % peaking in autumn (week 40). */
export function weeklyShares(weeks: number): number[] {
  const raw = Array.from({ length: weeks }, (_, w) => 1 + 0.35 * Math.sin((2 * Math.PI * (w - 27)) / 52));
  const sum = raw.reduce((s, x) => s + x, 0);
  return raw.map((x) => x / sum);
}

/** Households drawn from the mix until they bring at least `persons` persons. */
function drawPersons(random: Random, persons: number): HouseholdProfile[] {
  const households: HouseholdProfile[] = [];
  for (let n = 0; n < persons; ) {
    const household = drawHousehold(random);
    households.push(household);
    n += household.size;
  }
  return households;
}

function offerLanguages(random: Random, count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(OFFER_LANGUAGES[pick(random, OFFER_LANGUAGES.map(([, w]) => w))]![0]);
  return [...chosen].sort();
}

/** Distributes a district total over units in proportion to weights, in whole places. */
function spread(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => Math.round((total * w) / sum));
}

const unitKey = (i: number) => `0105${String(i + 1).padStart(4, '0')}0000`;

/** Kreisstadt (urbanity 1), two small towns (about 0.6), rural Ämter (0-0.15), with their seats. */
function shapes(random: Random, count: number, persons: number) {
  const shape = Array.from({ length: count }, (_, i) => {
    const urban = i === 0 ? 1 : i <= 2 ? uniform(random, 0.5, 0.7) : uniform(random, 0, 0.15);
    const [lo, hi] = i === 0 ? [35_000, 45_000] : i <= 2 ? [12_000, 20_000] : [6_000, 15_000];
    const population = Math.round(uniform(random, lo!, hi!));
    return { key: unitKey(i), name: '', urban, population, prior_intake: 0 };
  });
  const seats = new Map(computeLegalKey(shape, persons).units.map((s) => [s.key, s.seats]));
  return shape.map((s) => ({ ...s, seats: seats.get(s.key) ?? 0 }));
}

type Shape = ReturnType<typeof shapes>[number];
const isTown = (s: Shape) => s.urban >= 0.3;

/**
 * Housing places. Rural Ämter have more than their legal share (up to 1.4 times), so the band
 * caps them; the towns get what is left of `tightness` times the year's persons, below their
 * share, so housing caps them. Both ends bind, as in a real district.
 */
function housingPlaces(random: Random, shape: Shape[], persons: number, tightness: number): number[] {
  const bandHi = (seats: number) => seats + Math.floor((seats * BAND.value) / 100 + 1e-9);
  const rural = shape.map((s) => (isTown(s) ? 0 : Math.round(s.seats * uniform(random, 1.1, 1.4))));
  const ruralUsable = shape.reduce((sum, s, i) => sum + (isTown(s) ? 0 : Math.min(rural[i]!, bandHi(s.seats))), 0);
  const townWeights = shape.map((s) => (isTown(s) ? s.seats * uniform(random, 0.9, 1.1) : 0));
  const towns = spread(persons * tightness - ruralUsable, townWeights);
  return shape.map((s, i) => (isTown(s) ? towns[i]! : rural[i]!));
}

/** Yearly places of a kind, spread over the units by the given weight (with +-30 % noise). */
function places(random: Random, shape: Shape[], total: number, weight: (s: Shape) => number): number[] {
  return spread(total, shape.map((s) => weight(s) * uniform(random, 0.7, 1.3)));
}

/** Per-capita offers grow with urbanity: jobs, doctors and courses are in the towns. */
function offers(random: Random, s: Shape) {
  const perThousand = (base: number, urban: number) =>
    ((base + urban * s.urban) * s.population * uniform(random, 0.7, 1.3)) / 1000;
  return {
    language_course_free: Math.round(perThousand(1, 3)),
    health_care: Math.round(perThousand(0.4, 0.9) * 10) / 10,
    labour_market: Math.round(perThousand(8, 25)),
    load: Math.round((8 + 12 * s.urban) * uniform(random, 0.7, 1.3) * 10) / 10,
    open_needs: integer(random, 0, 8),
  };
}

function unitsOf(random: Random, count: number, persons: number, options: typeof DEFAULTS): MatchingUnit[] {
  const means = mixMeans();
  const households = persons / means.persons;
  const shape = shapes(random, count, persons);
  const housing = housingPlaces(random, shape, persons, options.housing_tightness);
  // Free Kita places are scarcer in towns; barrier-free flats are mostly in towns, in about
  // half of the Ämter none at all.
  const kitaTotal = households * means.under6 * options.kita_tightness;
  const kita = places(random, shape, kitaTotal, (s) => s.population * (1.4 - 0.9 * s.urban));
  const school = places(random, shape, households * means.school * options.school_tightness, (s) => s.population);
  const barrierFree = places(
    random,
    shape,
    households * means.barrier_free_persons * options.barrier_free_tightness,
    (s) => (isTown(s) || random() < 0.5 ? s.population * (0.5 + s.urban) : 0),
  );
  return shape.map((s, i) => ({
    key: s.key,
    name: i === 0 ? 'Kreisstadt' : isTown(s) ? `Stadt ${i}` : `Amt ${i - 2}`,
    population: s.population,
    population_date: '2024-12-31',
    prior_intake: 0,
    housing_free: housing[i]!,
    housing_free_barrier_free: barrierFree[i]!,
    languages: offerLanguages(random, i === 0 ? 5 : isTown(s) ? integer(random, 2, 3) : integer(random, 0, 2)),
    criteria: { kita_free: kita[i]!, school_free: school[i]!, ...offers(random, s) },
  }));
}

/**
 * A seeded year: the same options give the same district and the same arrivals. Households are
 * drawn until the year's quota of persons is reached; each arrives in a week drawn from the
 * seasonal shares, so weekly batches vary in size and make-up.
 */
export function simulateYear(options: SimulationOptions): OnlineYear {
  const o = { ...DEFAULTS, ...options };
  if (o.units < 3) throw new RangeError('a district needs at least 3 units');
  const units = unitsOf(mulberry32(o.seed), o.units, o.persons, o);
  const arrivals = mulberry32(o.seed ^ 0x9e3779b9);
  const shares = weeklyShares(o.weeks);
  const batches: HouseholdProfile[][] = shares.map(() => []);
  for (const household of drawPersons(arrivals, o.persons)) batches[pick(arrivals, shares)]!.push(household);
  const weights = SIMULATION_WEIGHTS;
  return { seed: o.seed, units, weights, max_deviation: BAND, expected_persons: o.persons, batches };
}

/** Seed of one forecast scenario: mixes year, week and scenario number (murmur3 constants). */
function scenarioSeed(seed: number, week: number, scenario: number): number {
  const mixed = Math.imul(seed, 0x9e3779b1) ^ Math.imul(week + 1, 0x85ebca6b) ^ Math.imul(scenario + 1, 0xc2b2ae35);
  return mixed >>> 0;
}

/**
 * One scenario of the arrivals after `week`: the quota's remaining persons, drawn from the same
 * mix. What the forecast knows is the quota and the mix, never the year's actual households.
 */
export function forecastArrivals(year: OnlineYear, week: number, scenario: number): HouseholdProfile[] {
  const arrived = year.batches.slice(0, week + 1).reduce((n, b) => n + b.reduce((m, h) => m + h.size, 0), 0);
  return drawPersons(mulberry32(scenarioSeed(year.seed, week, scenario)), year.expected_persons - arrived);
}
