// The interface languages. German first (the office's language), English second. A third language
// is one more entry here, a client dictionary, and a label in every registry entry (tests check it);
// no database schema change: tables with label_de/label_en columns are mapped in labelsFromColumns.

export const LANGS = ['de', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'de';

/** A text in every interface language. */
export type Labels = Record<Lang, string>;

/** The one place where a row's label_<lang> columns become Labels. */
export function labelsFromColumns(row: Readonly<Record<string, unknown>>): Labels {
  const labels = {} as Labels;
  for (const lang of LANGS) {
    const value = row[`label_${lang}`];
    labels[lang] = typeof value === 'string' ? value : '';
  }
  return labels;
}
