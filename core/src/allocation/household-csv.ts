import { ISO_639_1 } from '../iso639.ts';
import type { HouseholdProfile } from './households.ts';

export interface CsvError {
  /** Line number in the pasted text, 1 = header. */
  row: number;
  column: string | null;
  message: string;
}

export interface CsvResult {
  profiles: HouseholdProfile[];
  errors: CsvError[];
}

type Field = keyof HouseholdProfile;

// Spreadsheets exported in German use German headers and a semicolon; both are accepted.
const ALIASES: Record<string, Field> = {
  size: 'size', personen: 'size', groesse: 'size', größe: 'size',
  children_0_2: 'children_0_2', kinder_0_2: 'children_0_2',
  children_3_5: 'children_3_5', kinder_3_5: 'children_3_5',
  children_6_17: 'children_6_17', kinder_6_17: 'children_6_17',
  languages: 'languages', sprachen: 'languages',
  needs_barrier_free: 'needs_barrier_free', barrierefrei: 'needs_barrier_free',
  needs_medical: 'needs_medical', medizinisch: 'needs_medical',
};

// Columns that would make a profile personal data; such a paste is refused as a whole.
const IDENTIFYING = new RegExp(
  `^(${[
    'id', 'name', 'vorname', 'nachname', 'first_?name', 'last_?name', 'surname', 'geburts\\w*',
    'birth\\w*', 'date_of_birth', 'aktenzeichen', 'case\\w*', 'adresse', 'address', 'telefon',
    'phone', 'e-?mail',
  ].join('|')})$`,
);

const TRUE = new Set(['1', 'x', 'ja', 'j', 'yes', 'y', 'true', 'wahr']);
const FALSE = new Set(['', '0', 'nein', 'n', 'no', 'false', 'falsch']);
const LANGUAGES = new Set<string>(ISO_639_1);

/** Splits one line; double quotes protect delimiters, "" is a literal quote. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function parseCell(field: Field, text: string): { value: unknown } | { error: string } {
  const lower = text.toLowerCase();
  if (field === 'languages') {
    const codes = lower.split(/[\s|,;/+]+/).filter((c) => c.length > 0);
    const unknown = codes.filter((c) => !LANGUAGES.has(c));
    if (unknown.length > 0) return { error: `unknown ISO 639-1 code ${unknown.join(', ')}` };
    return { value: codes };
  }
  if (field === 'needs_barrier_free' || field === 'needs_medical') {
    if (TRUE.has(lower)) return { value: true };
    if (FALSE.has(lower)) return { value: false };
    return { error: `expected ja/nein, got "${text}"` };
  }
  const number = text === '' && field !== 'size' ? 0 : Number(text);
  if (!Number.isInteger(number) || number < 0 || number > 99) {
    return { error: `expected a whole number 0-99, got "${text}"` };
  }
  return { value: number };
}

function parseRow(cells: string[], columns: Field[], row: number, errors: CsvError[]) {
  const profile: HouseholdProfile = {
    size: 0, children_0_2: 0, children_3_5: 0, children_6_17: 0,
    languages: [], needs_barrier_free: false, needs_medical: false,
  };
  const before = errors.length;
  if (cells.length !== columns.length) {
    const message = `expected ${columns.length} cells, got ${cells.length}`;
    errors.push({ row, column: null, message });
    return null;
  }
  columns.forEach((field, i) => {
    const parsed = parseCell(field, cells[i]!);
    if ('error' in parsed) errors.push({ row, column: field, message: parsed.error });
    else Object.assign(profile, { [field]: parsed.value });
  });
  if (errors.length === before && profile.size < 1) {
    errors.push({ row, column: 'size', message: 'a household has at least one person' });
  }
  const children = profile.children_0_2 + profile.children_3_5 + profile.children_6_17;
  if (errors.length === before && children > profile.size) {
    const message = `${children} children in a household of ${profile.size}`;
    errors.push({ row, column: null, message });
  }
  return errors.length === before ? profile : null;
}

function parseHeader(cells: string[], errors: CsvError[]): Field[] {
  const columns: Field[] = [];
  const fail = (column: string, message: string) => errors.push({ row: 1, column, message });
  for (const name of cells.map((c) => c.toLowerCase())) {
    const field = ALIASES[name];
    if (IDENTIFYING.test(name)) fail(name, 'identifying column; profiles must be anonymous');
    else if (!field) fail(name, 'unknown column');
    else if (columns.includes(field)) fail(name, 'duplicate column');
    else columns.push(field);
  }
  if (!columns.includes('size')) fail('size', 'missing column');
  return columns;
}

/** Parses pasted household profiles (header line first; comma, semicolon or tab separated). */
export function parseHouseholdCsv(text: string): CsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0] ?? '';
  const delimiter = header.includes('\t') ? '\t' : header.includes(';') ? ';' : ',';
  const errors: CsvError[] = [];
  const columns = parseHeader(splitCsvLine(header, delimiter), errors);
  if (errors.length > 0) return { profiles: [], errors };
  const profiles: HouseholdProfile[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const profile = parseRow(splitCsvLine(line, delimiter), columns, i + 2, errors);
    if (profile) profiles.push(profile);
  });
  return { profiles, errors };
}
