import type { CsvError } from '@ilk/core/allocation/household-csv';
import type { HouseholdProfile } from '@ilk/core/allocation/households';
import type { MessageKey } from './de.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A household in a few words: "4 persons (2 aged 6-17), fa, medical needs". */
export function profileText(t: T, p: HouseholdProfile): string {
  const children = [
    p.children_0_2 ? t('household.kids02', { count: p.children_0_2 }) : '',
    p.children_3_5 ? t('household.kids35', { count: p.children_3_5 }) : '',
    p.children_6_17 ? t('household.kids617', { count: p.children_6_17 }) : '',
  ].filter(Boolean);
  return [
    t('household.persons', { count: p.size }) + (children.length ? ` (${children.join(', ')})` : ''),
    p.languages.join(' '),
    p.needs_barrier_free ? t('household.barrierFree') : '',
    p.needs_medical ? t('household.medical') : '',
  ].filter(Boolean).join(', ');
}

// The CSV parser reports in English (it also serves the API); the form shows its messages in
// the interface language where it recognises them, and as sent otherwise.
const CSV_RULES: [RegExp, (m: RegExpExecArray) => [MessageKey, Record<string, string>?]][] = [
  [/^unknown column$/, () => ['csv.unknownColumn']],
  [/^missing column$/, () => ['csv.missingColumn']],
  [/^duplicate column$/, () => ['csv.duplicateColumn']],
  [/^identifying column/, () => ['csv.identifying']],
  [/^expected (\d+) cells, got (\d+)$/, (m) => ['csv.cells', { expected: m[1]!, got: m[2]! }]],
  [/^expected a whole number 0-99, got "(.*)"$/, (m) => ['csv.number', { value: m[1]! }]],
  [/^expected ja\/nein, got "(.*)"$/, (m) => ['csv.yesNo', { value: m[1]! }]],
  [/^unknown ISO 639-1 code (.*)$/, (m) => ['csv.language', { codes: m[1]! }]],
  [/^a household has at least one person$/, () => ['csv.size']],
  [/^(\d+) children in a household of (\d+)$/, (m) => ['csv.children', { children: m[1]!, size: m[2]! }]],
];

export function csvErrorText(t: T, e: CsvError): string {
  let message = e.message;
  for (const [re, to] of CSV_RULES) {
    const m = re.exec(e.message);
    if (m) {
      const [key, params] = to(m);
      message = t(key, params);
      break;
    }
  }
  const where = e.column ? t('csv.lineColumn', { line: e.row, column: e.column }) : t('csv.line', { line: e.row });
  return `${where}: ${message}`;
}
