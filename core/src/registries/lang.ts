// The interface languages. German first (the office's language), English second. A third language
// is one more entry here, a client dictionary, and a label in every registry entry (tests check it);
// no database schema change: tables store labels as jsonb keyed by language (offer categories and
// subcategories since migrations/015_category_labels.sql), so a language is one more key there.

export const LANGS = ['de', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'de';

/** A text in every interface language. */
export type Labels = Record<Lang, string>;
