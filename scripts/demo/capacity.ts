import type { Offer } from './offers.ts';
import type { Random } from './random.ts';
import type { District, Verband } from './regions.ts';

export interface CapacityReport {
  readonly verband_ars: string;
  readonly report_date: string;
  readonly housing_free: number;
  readonly housing_free_barrier_free: number;
  readonly shared_accommodation_places: number;
  readonly kita_free: number;
  readonly school_free: number;
  readonly language_course_free: number;
  readonly gp_accepting: number;
  readonly refugees_housed: number;
  readonly intake_ytd: number;
  readonly note: string | null;
}

/** Quarter ends; every Verband reports the last one, some also earlier ones. */
const QUARTERS = ['2025-12-31', '2026-03-31', '2026-06-30', '2026-09-30'] as const;
const LATEST = '2026-09-30';
const NOTES = [
  'Zwei Wohnungen ab dem nächsten Monat bezugsfertig.',
  'Kita-Plätze nur im Elementarbereich frei, Krippe ausgelastet.',
  'Sprachkurs mit Kinderbetreuung startet im nächsten Quartal.',
  'Unterkunft wird saniert, Belegung vorübergehend reduziert.',
  'Hausarztpraxis nimmt nur noch Familien mit Kindern neu auf.',
  'Ehrenamtliche Wohnungspaten übernehmen die Erstbegleitung.',
] as const;

const sumOf = (offers: readonly Offer[], subcategories: readonly string[], field: 'places_total' | 'places_free'): number =>
  offers.filter((o) => subcategories.includes(o.properties.subcategory)).reduce((s, o) => s + (o.properties[field] ?? 0), 0);

/** The latest report matches the offers on the map; earlier ones drift from it. */
function reportsFor(verband: Verband, offers: readonly Offer[], rng: Random): CapacityReport[] {
  const population = verband.members.reduce((s, g) => s + g.population, 0);
  const mine = offers.filter((o) => o.gemeinde.verband === verband);
  const history = population > 25_000 ? 4 : rng.weighted([1, 2, 3, 4], [0.5, 0.2, 0.15, 0.15]);
  const housed = population * rng.range(0.005, 0.02);
  const yearlyIntake = population * rng.range(0.001, 0.003);
  const hausaerzte = mine.filter((o) => o.properties.subcategory === 'hausarzt').length;
  return QUARTERS.slice(QUARTERS.length - history).map((date, k, dates) => {
    const age = dates.length - 1 - k;
    const drift = (value: number): number => Math.round(age === 0 ? value : value * rng.range(0.7, 1.3));
    const housingFree = drift((population / 1_000) * rng.range(0.1, 1.2));
    const month = Number(date.slice(5, 7));
    return {
      verband_ars: verband.ars,
      report_date: date,
      housing_free: housingFree,
      housing_free_barrier_free: Math.floor(housingFree * rng.range(0, 0.35)),
      shared_accommodation_places: drift(sumOf(mine, ['unterkunft'], 'places_total')),
      kita_free: drift(sumOf(mine, ['kita'], 'places_free')),
      school_free: drift((population / 1_000) * rng.range(0.5, 3)),
      language_course_free: drift(sumOf(mine, ['integrationskurs', 'berufssprachkurs', 'erstorientierung'], 'places_free')),
      gp_accepting: Math.round(hausaerzte * rng.range(0.2, 0.8)),
      refugees_housed: Math.round(housed * (1 - 0.03 * age)),
      intake_ytd: Math.round((yearlyIntake * month) / 12),
      note: population > 0 && rng.chance(0.3) ? rng.pick(NOTES) : null,
    };
  });
}

export function buildCapacityReports(district: District, offers: readonly Offer[], rng: Random): CapacityReport[] {
  return district.verbaende.flatMap((v) => {
    if (v.kind !== 'Gemeindefreies Gebiet') return reportsFor(v, offers, rng);
    const zero = { housing_free: 0, housing_free_barrier_free: 0, shared_accommodation_places: 0, kita_free: 0, school_free: 0 };
    const rest = { language_course_free: 0, gp_accepting: 0, refugees_housed: 0, intake_ytd: 0 };
    return [{ verband_ars: v.ars, report_date: LATEST, ...zero, ...rest, note: 'Gemeindefreies Gebiet ohne Einwohner.' }];
  });
}
