import { CAPACITY_FIELDS } from '@ilk/core/schemas/capacity';
import type { CapacityBatchReport, CapacityUnit } from '../api/capacity.ts';

// The capacity grid's rules without any DOM or reactivity: reading what was typed or pasted,
// validating a row, moving between cells, and which rows a save sends. CapacityGrid
// (capacity-grid.svelte.ts) holds the state; the page only renders it.

export type CountField = (typeof CAPACITY_FIELDS)[number];
export const COUNT_FIELDS: readonly CountField[] = CAPACITY_FIELDS;
/** The grid's editable columns, left to right: the counts, then the row's report date. */
export type Column = CountField | 'report_date';
export const COLUMNS: readonly Column[] = [...CAPACITY_FIELDS, 'report_date'];
/** The server's limit of a count (core's CapacityReportInput). */
export const MAX_COUNT = 1_000_000;

export type CellError = 'required' | 'notInteger' | 'negative' | 'tooLarge' | 'exceedsHousing' | 'date';

/** What the user typed, per unit: the cells as text, and a date of its own if they set one. */
export interface RowDraft {
  cells: Record<CountField, string>;
  /** null: the common report date applies. */
  date: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: CellError };

/**
 * A count as typed or pasted from a German or English spreadsheet: "1.234", "1 234" and "1234,0"
 * are 1234; "1,5" and "1.5" are not whole numbers; empty is null (no value).
 */
export function parseCount(text: string): Parsed<number | null> {
  const s = text.replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return { ok: true, value: null };
  const m = /^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(s);
  if (!m) return { ok: false, error: 'notInteger' };
  if (m[3] && /[1-9]/.test(m[3])) return { ok: false, error: 'notInteger' };
  const n = Number(m[2]!.replace(/\./g, ''));
  if (m[1] === '-' && n !== 0) return { ok: false, error: 'negative' };
  if (n > MAX_COUNT) return { ok: false, error: 'tooLarge' };
  return { ok: true, value: n };
}

/** A calendar date typed as 4.12.2026, 04.12.26 or 2026-12-04, as YYYY-MM-DD; empty is null. */
export function parseDate(text: string): Parsed<string | null> {
  const s = text.trim();
  if (s === '') return { ok: true, value: null };
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(s);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (de) [d, mo, y] = [Number(de[1]), Number(de[2]), Number(de[3]!.length === 2 ? `20${de[3]}` : de[3])];
  else return { ok: false, error: 'date' };
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { ok: false, error: 'date' };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

/** YYYY-MM-DD as the German grid shows it (04.12.2026). */
export const formatDate = (iso: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
};

/** The draft of a unit as loaded: its latest report's values, or empty cells when it has none. */
export function draftOf(unit: CapacityUnit): RowDraft {
  const r = unit.report;
  return { cells: Object.fromEntries(COUNT_FIELDS.map((f) => [f, r ? String(r[f]) : ''])) as Record<CountField, string>, date: null };
}

/** Whether the user changed anything: a value that reads differently, or a date of the row's own. */
export function isChanged(unit: CapacityUnit, draft: RowDraft): boolean {
  if (draft.date !== null) return true;
  return COUNT_FIELDS.some((f) => {
    const p = parseCount(draft.cells[f]);
    const before = unit.report ? unit.report[f] : null;
    return !p.ok || p.value !== before;
  });
}

/** The date a changed row is sent with: its own, or the common one. */
export const rowDate = (draft: RowDraft, common: string): string => draft.date ?? common;

/**
 * The errors of one row, by column. An unchanged row has none (it is not sent); a changed row
 * is a full report, so every count and the date are required.
 */
export function validateRow(unit: CapacityUnit, draft: RowDraft, common: string): Partial<Record<Column, CellError>> {
  if (!isChanged(unit, draft)) return {};
  const errors: Partial<Record<Column, CellError>> = {};
  const values: Partial<Record<CountField, number>> = {};
  for (const f of COUNT_FIELDS) {
    const p = parseCount(draft.cells[f]);
    if (!p.ok) errors[f] = p.error;
    else if (p.value === null) errors[f] = 'required';
    else values[f] = p.value;
  }
  const bf = values.housing_free_barrier_free;
  if (bf !== undefined && values.housing_free !== undefined && bf > values.housing_free) errors.housing_free_barrier_free = 'exceedsHousing';
  const d = parseDate(rowDate(draft, common));
  if (!d.ok) errors.report_date = d.error;
  else if (d.value === null) errors.report_date = 'required';
  return errors;
}

/** The reports one save sends: the changed rows only, each with the version it was based on. */
export function batchOf(units: readonly CapacityUnit[], drafts: ReadonlyMap<string, RowDraft>, common: string): CapacityBatchReport[] {
  const out: CapacityBatchReport[] = [];
  for (const unit of units) {
    const draft = drafts.get(unit.ars);
    if (!draft || !isChanged(unit, draft)) continue;
    const counts = Object.fromEntries(COUNT_FIELDS.map((f) => {
      const p = parseCount(draft.cells[f]);
      return [f, p.ok ? p.value : null];
    })) as Record<CountField, number>;
    const date = parseDate(rowDate(draft, common));
    out.push({ ars: unit.ars, version: unit.version, report_date: date.ok && date.value ? date.value : '', ...counts });
  }
  return out;
}

/**
 * A block copied from a spreadsheet: rows by line breaks, cells by tabs. Excel ends the copy
 * with a line break, which is not an extra row; a quoted cell (Excel quotes line breaks and
 * quotes inside a cell) is read whole.
 */
export function parseClipboard(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const s = text.replace(/\r\n?/g, '\n');
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"' && cell === '') {
      const end = closingQuote(s, i + 1);
      if (end > 0) {
        cell = s.slice(i + 1, end).replace(/""/g, '"');
        i = end + 1;
        continue;
      }
    }
    if (c === '\t') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
    i++;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The quote that closes a quoted cell starting at `from`, if the cell ends right after it. */
function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] !== '"') continue;
    if (s[i + 1] === '"') {
      i++;
      continue;
    }
    return i + 1 === s.length || s[i + 1] === '\t' || s[i + 1] === '\n' ? i : -1;
  }
  return -1;
}

export interface Cell {
  row: number;
  col: number;
}

/** The id of a cell's input, by row and column index, for focus moves and error links. */
export const cellId = (row: number, col: number): string => `cg-${row}-${col}`;

/** Where each pasted value lands, starting at `at`; what lies beyond the grid is counted, not placed. */
export function pastePlan(block: string[][], at: Cell, rows: number, cols: number): { cells: (Cell & { text: string })[]; outside: number } {
  const cells: (Cell & { text: string })[] = [];
  let outside = 0;
  block.forEach((line, r) => line.forEach((text, c) => {
    const row = at.row + r;
    const col = at.col + c;
    if (row < rows && col < cols) cells.push({ row, col, text: text.trim() });
    else outside++;
  }));
  return { cells, outside };
}

export interface NavKey {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
  /** The caret is at the start (end) of the cell's text, so Left (Right) leaves the cell. */
  atStart?: boolean;
  atEnd?: boolean;
}

/**
 * The cell a key moves to, or null when the key is the input's own (moving the caret) or leaves
 * the grid (Tab after the last cell): the browser then does what it always does.
 */
export function navigate(at: Cell, k: NavKey, rows: number, cols: number): Cell | null {
  const clamp = (row: number, col: number): Cell => ({ row: Math.max(0, Math.min(rows - 1, row)), col: Math.max(0, Math.min(cols - 1, col)) });
  switch (k.key) {
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowLeft':
      return k.atStart ? clamp(at.row, at.col - 1) : null;
    case 'ArrowRight':
      return k.atEnd ? clamp(at.row, at.col + 1) : null;
    case 'Enter':
      return clamp(at.row + (k.shift ? -1 : 1), at.col);
    case 'Home':
      return k.ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return k.ctrl ? { row: rows - 1, col: cols - 1 } : { row: at.row, col: cols - 1 };
    case 'Tab': {
      const flat = at.row * cols + at.col + (k.shift ? -1 : 1);
      if (flat < 0 || flat >= rows * cols) return null;
      return { row: Math.floor(flat / cols), col: flat % cols };
    }
    default:
      return null;
  }
}

/** The index of the report a server error names ("/reports/3/kita_free") and its column. */
export function batchErrorCell(pointer: string): { index: number; field: string } | null {
  const m = /^\/reports\/(\d+)(?:\/(\w+))?/.exec(pointer);
  return m ? { index: Number(m[1]), field: m[2] ?? '' } : null;
}
