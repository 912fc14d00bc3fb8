import type { Labels } from './lang.ts';

// The offer categories and their subcategories: this registry is the source of truth. The
// migrations seed the offer_categories and offer_subcategories tables with the same rows (they are
// referenced by foreign keys and read by /api/meta; labels keyed by language since
// migrations/015_category_labels.sql); tests/integration/db/registries-categories.test.ts fails
// when a table and this registry disagree. Adding a (sub)category = an entry here plus a migration
// inserting the same row.

export const CATEGORY_KEYS = ['sprache', 'arbeit', 'wohnen', 'betreuung_bildung', 'gesundheit', 'beratung', 'einbuergerung', 'ehrenamt_freizeit'] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export interface CategorySpec {
  labels: Labels;
  /** Map colour, #rrggbb (colour-blind safe palette). */
  color: string;
}

export const CATEGORIES: Readonly<Record<CategoryKey, CategorySpec>> = {
  sprache: { labels: { de: 'Sprache', en: 'Language' }, color: '#0072b2' },
  arbeit: { labels: { de: 'Arbeit und Ausbildung', en: 'Work and training' }, color: '#e69f00' },
  wohnen: { labels: { de: 'Wohnen', en: 'Housing' }, color: '#8c564b' },
  betreuung_bildung: { labels: { de: 'Betreuung und Bildung', en: 'Childcare and school' }, color: '#009e73' },
  gesundheit: { labels: { de: 'Gesundheit', en: 'Health' }, color: '#d55e00' },
  beratung: { labels: { de: 'Beratung', en: 'Counselling' }, color: '#cc79a7' },
  einbuergerung: { labels: { de: 'Einbürgerung', en: 'Naturalisation' }, color: '#56b4e9' },
  ehrenamt_freizeit: { labels: { de: 'Ehrenamt und Freizeit', en: 'Volunteering and leisure' }, color: '#7f7f7f' },
};

/** The categories in display order (sort_order in the table is the 1-based position here). */
export const CATEGORY_LIST = CATEGORY_KEYS.map((key, i) => ({ key, sort_order: i + 1, ...CATEGORIES[key] }));

export interface SubcategorySpec {
  key: string;
  category: CategoryKey;
  labels: Labels;
}

const sub = (key: string, category: CategoryKey, de: string, en: string): SubcategorySpec => ({ key, category, labels: { de, en } });

/** The subcategories, in display order within their category (sort_order is the 1-based position there). */
export const SUBCATEGORIES: readonly SubcategorySpec[] = [
  sub('integrationskurs', 'sprache', 'Integrationskurs', 'Integration course'),
  sub('berufssprachkurs', 'sprache', 'Berufssprachkurs', 'Job-related language course'),
  sub('erstorientierung', 'sprache', 'Erstorientierung und Sprachcafé', 'First orientation and language café'),
  sub('arbeitsvermittlung', 'arbeit', 'Arbeitsvermittlung', 'Job placement'),
  sub('ausbildung', 'arbeit', 'Ausbildung und Qualifizierung', 'Training and qualification'),
  sub('anerkennung', 'arbeit', 'Anerkennungsberatung', 'Recognition of qualifications'),
  sub('unterkunft', 'wohnen', 'Gemeinschaftsunterkunft', 'Shared accommodation'),
  sub('wohnraumvermittlung', 'wohnen', 'Wohnraumvermittlung', 'Housing placement'),
  sub('kita', 'betreuung_bildung', 'Kita', 'Day care (Kita)'),
  sub('schule', 'betreuung_bildung', 'Schule', 'School'),
  sub('daz', 'betreuung_bildung', 'DaZ-Zentrum', 'German as a second language centre'),
  sub('hausarzt', 'gesundheit', 'Hausarztpraxis', 'General practice'),
  sub('kinderarzt', 'gesundheit', 'Kinderarztpraxis', 'Paediatric practice'),
  sub('psychosozial', 'gesundheit', 'Psychosoziale Versorgung', 'Psychosocial care'),
  sub('mbe', 'beratung', 'Migrationsberatung für Erwachsene', 'Migration counselling for adults'),
  sub('jmd', 'beratung', 'Jugendmigrationsdienst', 'Youth migration service'),
  sub('fluechtlingsberatung', 'beratung', 'Flüchtlingsberatung', 'Refugee counselling'),
  sub('einbuergerungsberatung', 'einbuergerung', 'Einbürgerungsberatung', 'Naturalisation advice'),
  sub('ehrenamt', 'ehrenamt_freizeit', 'Ehrenamtliche Begleitung', 'Volunteer mentoring'),
  sub('sport', 'ehrenamt_freizeit', 'Sport', 'Sport'),
  sub('begegnung', 'ehrenamt_freizeit', 'Begegnung und Kultur', 'Meeting places and culture'),
];

/** The subcategories with their sort_order (position within the category, from 1). */
export const SUBCATEGORY_LIST = SUBCATEGORIES.map((s) => ({
  ...s,
  sort_order: SUBCATEGORIES.filter((x) => x.category === s.category).indexOf(s) + 1,
}));
