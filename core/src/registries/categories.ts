import type { Labels } from './lang.ts';

// The offer categories: this registry is the source of truth. migrations/002_offers.sql seeds the
// offer_categories table with the same rows (it is referenced by foreign keys and read by
// /api/meta); tests/integration/registries-categories.test.ts fails when the table and this
// registry disagree. Adding a category = an entry here plus a migration inserting the same row.

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
