import type { Labels } from './lang.ts';

// The allocation weights: every criterion a planner can weight, with its meaning for the engine
// (core/src/allocation/criteria.ts), its labels (the client's sliders, the decision sheet) and the
// modes it applies to. The TypeBox weights schemas (core/src/schemas/allocations.ts) are built from
// these keys. Adding a weight = an entry here (keys tuple + spec), the server computing its raw
// value per unit (allocation inputs), and a test; labels come from here, nowhere else.

/** Criteria of the aggregate mode (and of the household mode's unit scores). */
export const CRITERION_KEYS = [
  'housing_free',
  'kita_free',
  'school_free',
  'language_course_free',
  'health_care',
  'labour_market',
  'load',
  'open_needs',
] as const;
export type CriterionKey = (typeof CRITERION_KEYS)[number];

/** Weights that exist only when single households are placed. */
export const HOUSEHOLD_WEIGHT_KEYS = ['language_match'] as const;
export type HouseholdWeightKey = (typeof HOUSEHOLD_WEIGHT_KEYS)[number];

/** Every weight of the household mode: the criteria plus the household-only ones. */
export const MATCHING_WEIGHT_KEYS = [...CRITERION_KEYS, ...HOUSEHOLD_WEIGHT_KEYS] as const;
export type WeightKey = (typeof MATCHING_WEIGHT_KEYS)[number];

export interface WeightSpec {
  labels: Labels;
  /** What raising it does, one line for the slider's hint. */
  effect: Labels;
  /** Modes the weight exists in. */
  modes: readonly ('aggregate' | 'households')[];
}

export interface CriterionSpec extends WeightSpec {
  /** +1 if more of it should raise the allocation. */
  direction: 1 | -1;
  /** 'count' values are absolute numbers and are divided by the population; 'rate' values are already per inhabitant. */
  scale: 'count' | 'rate';
}

const BOTH = ['aggregate', 'households'] as const;

export const CRITERION_REGISTRY: Readonly<Record<CriterionKey, CriterionSpec>> = {
  housing_free: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Freie Wohnplätze', en: 'Free housing places' },
    effect: { de: 'Mehr freie Wohnplätze je Einwohner → größerer Anteil', en: 'More free housing per inhabitant → larger share' },
  },
  kita_free: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Freie Kita-Plätze', en: 'Free Kita places' },
    effect: { de: 'Mehr freie Kita-Plätze je Einwohner → größerer Anteil', en: 'More free Kita places per inhabitant → larger share' },
  },
  school_free: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Freie Schulplätze', en: 'Free school places' },
    effect: { de: 'Mehr freie Schulplätze je Einwohner → größerer Anteil', en: 'More free school places per inhabitant → larger share' },
  },
  language_course_free: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Freie Sprachkursplätze', en: 'Free language course seats' },
    effect: { de: 'Mehr freie Sprachkursplätze je Einwohner → größerer Anteil', en: 'More free language course seats per inhabitant → larger share' },
  },
  health_care: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Gesundheitsversorgung', en: 'Health care' },
    effect: { de: 'Mehr erreichbare Versorgung je Einwohner → größerer Anteil', en: 'More reachable health care per inhabitant → larger share' },
  },
  labour_market: {
    direction: 1, scale: 'count', modes: BOTH,
    labels: { de: 'Arbeit und Ausbildung', en: 'Work and training' },
    effect: { de: 'Mehr erreichbare Arbeits- und Ausbildungsangebote → größerer Anteil', en: 'More reachable work and training offers → larger share' },
  },
  /** Refugees per 1,000 inhabitants. */
  load: {
    direction: -1, scale: 'rate', modes: BOTH,
    labels: { de: 'Bisherige Belastung', en: 'Current load' },
    effect: { de: 'Mehr Geflüchtete je 1.000 Einw. → kleinerer Anteil', en: 'More refugees per 1,000 inhabitants → smaller share' },
  },
  open_needs: {
    direction: -1, scale: 'count', modes: BOTH,
    labels: { de: 'Offene Bedarfe', en: 'Open needs' },
    effect: { de: 'Mehr offene Bedarfe je Einwohner → kleinerer Anteil', en: 'More open needs per inhabitant → smaller share' },
  },
};

export const HOUSEHOLD_WEIGHT_REGISTRY: Readonly<Record<HouseholdWeightKey, WeightSpec>> = {
  language_match: {
    modes: ['households'],
    labels: { de: 'Angebote in der Sprache des Haushalts', en: "Offers in the household's language" },
    effect: {
      de: 'Bonus, wenn es in der Einheit Angebote in einer Sprache des Haushalts gibt',
      en: "Bonus where the unit has offers in one of the household's languages",
    },
  },
};

/** Every weight by key (criteria and household-only weights). */
export const WEIGHTS: Readonly<Record<WeightKey, WeightSpec>> = { ...CRITERION_REGISTRY, ...HOUSEHOLD_WEIGHT_REGISTRY };

/** The weights of one mode, in slider order. */
export function weightKeys(mode: 'aggregate' | 'households'): readonly WeightKey[] {
  return MATCHING_WEIGHT_KEYS.filter((k) => WEIGHTS[k].modes.includes(mode));
}
