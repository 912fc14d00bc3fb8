// Capacity reports from a spreadsheet (CSV or the first sheet of an XLSX): header aliases, cell
// values and matching a row to its allocation unit. Pure: the server reads the bytes and the units.
import type { FieldError } from './problems.ts';
import { CAPACITY_FIELDS, type CapacityReportInput } from './schemas/capacity.ts';
import { CAPACITY_REPORT_FIELDS, CAPACITY_REPORT_KEYS, type CapacityReportFieldKey } from './fields/capacity.ts';
import { normalizeHeader } from './offer-import.ts';

export type CapacityCount = (typeof CAPACITY_FIELDS)[number];
/** The columns that name the unit a row is for; not fields of the report. */
export type UnitColumn = 'ars' | 'name';
export type CapacityColumn = UnitColumn | CapacityReportFieldKey;

/** German and English headers (after normalizeHeader) of the unit's columns; the key itself is accepted too. */
export const UNIT_COLUMN_ALIASES: Record<UnitColumn, readonly string[]> = {
  ars: ['regionalschluessel', 'amtlicher_regionalschluessel', 'schluessel', 'rs', 'ags', 'gemeindeschluessel', 'amtlicher_gemeindeschluessel', 'verbandsschluessel', 'key'],
  name: ['amt', 'einheit', 'gemeinde', 'verband', 'amt_gemeinde', 'verwaltung', 'zuweisungseinheit', 'unit', 'unit_name'],
};

/** Every column's header aliases: the unit's above, the report's from its field descriptors (core/src/fields/capacity.ts). */
export const CAPACITY_COLUMN_ALIASES: Record<CapacityColumn, readonly string[]> = {
  ...UNIT_COLUMN_ALIASES,
  ...(Object.fromEntries(CAPACITY_REPORT_KEYS.map((k) => [k, CAPACITY_REPORT_FIELDS[k].aliases])) as Record<CapacityReportFieldKey, readonly string[]>),
};

const ALIASES: [string, CapacityColumn][] = (Object.entries(CAPACITY_COLUMN_ALIASES) as [CapacityColumn, readonly string[]][])
  .flatMap(([column, aliases]) => [[column, column] as [string, CapacityColumn], ...aliases.map((a) => [a, column] as [string, CapacityColumn])]);
const EXACT = new Map(ALIASES);
// Longest first, so "freie_wohnplaetze_barrierefrei_2025" is barrier-free, not housing_free.
const BY_LENGTH = [...ALIASES].sort((a, b) => b[0].length - a[0].length);

/**
 * The column a header names: an alias exactly, or an alias followed by more words
 * ("Zugang seit 1.1.2025", "Kita (Plätze)"); the longest alias wins. Undefined: unknown.
 */
export function capacityColumnOf(header: string): CapacityColumn | undefined {
  const key = normalizeHeader(header);
  return EXACT.get(key) ?? BY_LENGTH.find(([alias]) => key.startsWith(`${alias}_`))?.[1];
}

export interface CapacityHeader {
  /** Each header cell's column; null for an empty header cell (the column is skipped). */
  columns: (CapacityColumn | null)[];
  errors: FieldError[];
}

/** Maps a header row; every problem at once. `dateGiven`: a report_date for all rows comes from elsewhere. */
export function mapCapacityHeader(header: readonly string[], dateGiven = false): CapacityHeader {
  const errors: FieldError[] = [];
  const columns = header.map((h, i): CapacityColumn | null => {
    if (h.trim() === '') return null;
    const column = capacityColumnOf(h);
    if (!column) errors.push({ field: `${h} (${cellRef(i, 1)})`, message: 'is not a known column' });
    return column ?? null;
  });
  columns.forEach((c, i) => {
    if (c && columns.indexOf(c) !== i) errors.push({ field: `${header[i]} (${cellRef(i, 1)})`, message: `names the column ${c} a second time` });
  });
  if (!columns.includes('ars') && !columns.includes('name')) errors.push({ field: 'ars/name', message: 'column is missing (give the ARS or the name of each unit)' });
  if (!dateGiven && !columns.includes('report_date')) errors.push({ field: 'report_date', message: 'column is missing (or give ?report_date= for all rows)' });
  for (const f of CAPACITY_FIELDS) if (!columns.includes(f)) errors.push({ field: f, message: 'column is missing' });
  return { columns, errors };
}

/** "A1"-style reference of a 0-based column and a 1-based row. */
export function cellRef(column: number, row: number): string {
  let letters = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** A cell as a reader hands it over: text, a number, a date, or empty. */
export type SheetCell = string | number | Date | null;

export const MAX_COUNT = 1_000_000;
const INTEGER = /^\+?\d+$/;

/** A count: a whole number 0..MAX_COUNT. "12,0", "1.234", "3.5" and "-1" are refused, not guessed. */
export function parseCount(cell: SheetCell): number | { error: string } {
  let n: number;
  if (typeof cell === 'number') n = cell;
  else if (typeof cell === 'string' && INTEGER.test(cell.trim())) n = Number(cell.trim());
  else if (typeof cell === 'string') return { error: `"${cell.trim().slice(0, 40)}" is not a whole number (digits only, no decimals or separators)` };
  else return { error: 'must be a whole number, not a date' };
  if (!Number.isInteger(n)) return { error: `${n} is not a whole number` };
  if (n < 0) return { error: 'must not be negative' };
  if (n > MAX_COUNT) return { error: `must not exceed ${MAX_COUNT}` };
  return n;
}

const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
// Serial 0 of each date system, as UTC milliseconds. The 1900 system counts the fictitious
// 29 Feb 1900 (Lotus 1-2-3's bug kept by Excel): from serial 61 on, day 0 is 30 Dec 1899.
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function validIso(y: number, m: number, d: number): string | undefined {
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (y < 1900 || y > 9999 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return iso(ms);
}

/** A spreadsheet date serial (days since the workbook's epoch) as an ISO date. */
export function serialToIsoDate(serial: number, date1904 = false): string | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial > 2_958_465) return undefined;
  if (date1904) return iso(EPOCH_1904 + serial * DAY_MS);
  if (serial === 60) return undefined; // 29 Feb 1900 never existed
  return iso(EPOCH_1900 + (serial < 60 ? serial + 1 : serial) * DAY_MS);
}

/** A report date: a date cell, a date serial, "31.12.2025" or "2025-12-31". */
export function parseReportDate(cell: SheetCell, date1904 = false): string | { error: string } {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return { error: 'is not a valid date' };
    return iso(Date.UTC(cell.getUTCFullYear(), cell.getUTCMonth(), cell.getUTCDate()));
  }
  if (typeof cell === 'number') return serialToIsoDate(cell, date1904) ?? { error: `${cell} is not a date (a whole date serial number was expected)` };
  const text = (cell ?? '').trim();
  const m = GERMAN_DATE.exec(text) ?? ISO_DATE.exec(text);
  const date = m && (GERMAN_DATE.test(text) ? validIso(+m[3]!, +m[2]!, +m[1]!) : validIso(+m[1]!, +m[2]!, +m[3]!));
  return date ?? { error: `"${text.slice(0, 40)}" is not a date (TT.MM.JJJJ or JJJJ-MM-TT)` };
}

/** A row's values: the report as the API takes it, with the note always present. */
export type CapacityRowValues = Omit<CapacityReportInput, 'note'> & { note: string | null };

export interface CapacityCandidate {
  /** The spreadsheet row number (the header is row 1); for a CSV the line the record starts on. */
  row: number;
  ars: string | null;
  name: string | null;
  values: CapacityRowValues | null;
  errors: FieldError[];
}

const asText = (cell: SheetCell): string => (cell === null ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
const isEmpty = (cell: SheetCell | undefined) => cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');

/** The name of a cell in an error: "row 5, kita_free (F5)". */
export const cellField = (row: number, column: string, index: number) => `row ${row}, ${column} (${cellRef(index, row)})`;

export interface RowOptions {
  /** report_date for rows without one (the ?report_date= parameter). */
  defaultDate?: string | undefined;
  date1904?: boolean;
}

/** One data row as a candidate report; every bad cell is named. */
export function capacityCandidate(columns: readonly (CapacityColumn | null)[], cells: readonly SheetCell[], row: number, opts: RowOptions = {}): CapacityCandidate {
  const errors: FieldError[] = [];
  const at = (c: CapacityColumn) => columns.indexOf(c);
  const cell = (c: CapacityColumn) => (at(c) < 0 ? undefined : cells[at(c)]);
  if (cells.length > columns.length && cells.slice(columns.length).some((c) => !isEmpty(c))) {
    errors.push({ field: `row ${row}`, message: `has ${cells.length} cells; the header has ${columns.length}` });
  }
  const ars = isEmpty(cell('ars')) ? null : asText(cell('ars')!).replace(/\s+/g, '');
  const name = isEmpty(cell('name')) ? null : asText(cell('name')!);
  if (ars === null && name === null) errors.push({ field: `row ${row}, ars/name`, message: 'give the ARS or the name of the unit' });
  const values: Partial<CapacityRowValues> = { note: isEmpty(cell('note')) ? null : asText(cell('note')!) };
  if (values.note !== null && values.note!.length > 2000) errors.push({ field: cellField(row, 'note', at('note')), message: 'must not be longer than 2000 characters' });
  const dateCell = cell('report_date');
  if (isEmpty(dateCell)) {
    if (opts.defaultDate) values.report_date = opts.defaultDate;
    else errors.push({ field: at('report_date') < 0 ? `row ${row}, report_date` : cellField(row, 'report_date', at('report_date')), message: 'is missing' });
  } else {
    const date = parseReportDate(dateCell!, opts.date1904);
    if (typeof date === 'string') values.report_date = date;
    else errors.push({ field: cellField(row, 'report_date', at('report_date')), message: date.error });
  }
  for (const f of CAPACITY_FIELDS) {
    const c = cell(f);
    if (isEmpty(c)) {
      errors.push({ field: cellField(row, f, at(f)), message: 'is missing (enter 0 for none)' });
      continue;
    }
    const n = parseCount(c!);
    if (typeof n === 'number') values[f] = n;
    else errors.push({ field: cellField(row, f, at(f)), message: n.error });
  }
  const v = values as CapacityRowValues;
  if (typeof v.housing_free === 'number' && typeof v.housing_free_barrier_free === 'number' && v.housing_free_barrier_free > v.housing_free) {
    errors.push({ field: cellField(row, 'housing_free_barrier_free', at('housing_free_barrier_free')), message: `must not exceed housing_free (${v.housing_free})` });
  }
  return { row, ars, name, values: errors.length === 0 ? v : null, errors };
}

export interface UnitForMatch {
  ars: string;
  name: string;
  /** AGS of the unit's Gemeinden. */
  gemeinden: readonly string[];
}

// Prefixes that name the kind of unit, not the unit: "Amt Breitenfelde" is the unit "Breitenfelde".
const KIND_PREFIX = /^(amt|stadt|gemeinde|markt|flecken|verbandsgemeinde|samtgemeinde|verwaltungsgemeinschaft|amtsfreie gemeinde)\s+/;

/** Lower case, one space, no kind prefix: the form two spellings of a name share. */
export function unitNameKey(name: string): string {
  const plain = name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return plain.replace(KIND_PREFIX, '');
}

export type UnitMatch = { ars: string } | { error: string };

/**
 * The unit a row names. ARS (12 digits; 11 when a spreadsheet dropped the leading zero), the
 * 9-digit Verband key, or the 8-digit AGS of an amtsfreie Gemeinde; else the name, exact
 * first, then without the kind prefix. Ambiguous and unknown keys are errors.
 */
export function matchUnit(units: readonly UnitForMatch[], ars: string | null, name: string | null): UnitMatch {
  if (ars !== null) return matchKey(units, ars);
  const exact = name!.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  let found = units.filter((u) => u.name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim() === exact);
  if (found.length === 0) found = units.filter((u) => unitNameKey(u.name) === unitNameKey(name!));
  if (found.length === 1) return { ars: found[0]!.ars };
  if (found.length > 1) return { error: `"${name}" is ambiguous: ${found.map((u) => `${u.name} (${u.ars})`).join(', ')}; give the ARS` };
  return { error: `no allocation unit named "${name}" among the units you may import for` };
}

function matchKey(units: readonly UnitForMatch[], raw: string): UnitMatch {
  let key = raw;
  if (/^\d{7}$|^\d{11}$/.test(key)) key = `0${key}`; // a leading zero lost in a spreadsheet (Land 01..09)
  if (/^\d{12}$/.test(key)) {
    return units.some((u) => u.ars === key) ? { ars: key } : { error: `no allocation unit with ARS ${key} among the units you may import for` };
  }
  if (/^\d{9}$/.test(key)) {
    const u = units.find((x) => x.ars.slice(0, 9) === key);
    return u ? { ars: u.ars } : { error: `no allocation unit with the Verband key ${key}` };
  }
  if (/^\d{8}$/.test(key)) {
    const u = units.find((x) => x.gemeinden.includes(key));
    if (!u) return { error: `no Gemeinde with AGS ${key} among the units you may import for` };
    if (u.gemeinden.length > 1) return { error: `AGS ${key} is a Gemeinde of ${u.name}; give the unit's ARS (${u.ars}) or name` };
    return { ars: u.ars };
  }
  return { error: `"${raw.slice(0, 40)}" is no ARS (12 digits), Verband key (9) or AGS (8)` };
}
