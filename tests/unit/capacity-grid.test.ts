import { describe, expect, it } from 'vitest';
import {
  batchErrorCell, batchOf, COLUMNS, draftOf, isChanged, navigate, parseClipboard, parseCount, parseDate, pastePlan, validateRow,
  type RowDraft,
} from '../../client/src/lib/state/capacity-grid.ts';
import type { CapacityUnit } from '../../client/src/lib/api/capacity.ts';

const REPORT = {
  id: 7, report_date: '2026-10-01', housing_free: 12, housing_free_barrier_free: 2, shared_accommodation_places: 40, kita_free: 3,
  school_free: 5, language_course_free: 8, gp_accepting: 1, refugees_housed: 90, intake_ytd: 30, note: null, created_at: '2026-10-02T08:00:00Z',
};
const reported: CapacityUnit = { ars: '010590045045', name: 'Amt Eins', kind: 'amt', population: 9000, version: 7, report: REPORT };
const unknown: CapacityUnit = { ars: '010590046046', name: 'Zweistadt', kind: 'amtsfreie_gemeinde', population: 12000, version: 0, report: null };

const edit = (unit: CapacityUnit, cells: Partial<RowDraft['cells']>, date: string | null = null): RowDraft => {
  const d = draftOf(unit);
  return { cells: { ...d.cells, ...cells }, date };
};

describe('reading a count as typed or pasted', () => {
  it('reads German and plain whole numbers', () => {
    expect(parseCount('1.234')).toEqual({ ok: true, value: 1234 });
    expect(parseCount(' 1 234 ')).toEqual({ ok: true, value: 1234 });
    expect(parseCount('1234,00')).toEqual({ ok: true, value: 1234 });
    expect(parseCount('0')).toEqual({ ok: true, value: 0 });
    expect(parseCount('')).toEqual({ ok: true, value: null });
  });

  it('refuses what is not a whole number ≥ 0 within the limit', () => {
    expect(parseCount('1,5')).toEqual({ ok: false, error: 'notInteger' });
    expect(parseCount('1.5')).toEqual({ ok: false, error: 'notInteger' });
    expect(parseCount('zwölf')).toEqual({ ok: false, error: 'notInteger' });
    expect(parseCount('12.34')).toEqual({ ok: false, error: 'notInteger' });
    expect(parseCount('-3')).toEqual({ ok: false, error: 'negative' });
    expect(parseCount('2.000.000')).toEqual({ ok: false, error: 'tooLarge' });
  });

  it('reads German and ISO dates and refuses impossible ones', () => {
    expect(parseDate('4.12.2026')).toEqual({ ok: true, value: '2026-12-04' });
    expect(parseDate('04.12.26')).toEqual({ ok: true, value: '2026-12-04' });
    expect(parseDate('2026-12-04')).toEqual({ ok: true, value: '2026-12-04' });
    expect(parseDate('31.02.2026')).toEqual({ ok: false, error: 'date' });
    expect(parseDate('morgen')).toEqual({ ok: false, error: 'date' });
  });
});

describe('a row of the grid', () => {
  it('is unchanged as loaded, also when a value is retyped in another format', () => {
    expect(isChanged(reported, draftOf(reported))).toBe(false);
    expect(isChanged(reported, edit(reported, { housing_free: '12,0' }))).toBe(false);
    expect(isChanged(unknown, draftOf(unknown))).toBe(false);
    expect(isChanged(reported, edit(reported, { kita_free: '4' }))).toBe(true);
    expect(isChanged(reported, edit(reported, {}, '2026-11-01'))).toBe(true);
  });

  it('has no errors while unchanged, and a changed row is a full report', () => {
    expect(validateRow(unknown, draftOf(unknown), '')).toEqual({});
    const errors = validateRow(unknown, edit(unknown, { housing_free: '3', kita_free: '1,5' }), '2026-12-01');
    expect(errors.kita_free).toBe('notInteger');
    expect(errors.school_free).toBe('required');
    expect(errors.housing_free).toBeUndefined();
    expect(errors.report_date).toBeUndefined();
  });

  it('requires a date for a changed row and keeps barrier-free within free housing', () => {
    const errors = validateRow(reported, edit(reported, { housing_free: '1', housing_free_barrier_free: '2' }), '');
    expect(errors).toEqual({ housing_free_barrier_free: 'exceedsHousing', report_date: 'required' });
    expect(validateRow(reported, edit(reported, { housing_free: '5' }, '30.02.2026'), '2026-12-01')).toEqual({ report_date: 'date' });
  });

  it('sends only changed rows, with their version and the common or their own date', () => {
    const drafts = new Map([
      [reported.ars, edit(reported, { kita_free: '1.000' })],
      [unknown.ars, draftOf(unknown)],
    ]);
    expect(batchOf([reported, unknown], drafts, '2026-12-01')).toEqual([
      { ...Object.fromEntries(Object.entries(REPORT).filter(([k]) => !['id', 'note', 'created_at'].includes(k))), ars: reported.ars, version: 7, report_date: '2026-12-01', kita_free: 1000 },
    ]);
    drafts.set(reported.ars, edit(reported, { kita_free: '9' }, '15.11.2026'));
    expect(batchOf([reported, unknown], drafts, '2026-12-01')[0]!.report_date).toBe('2026-11-15');
    drafts.set(reported.ars, draftOf(reported));
    expect(batchOf([reported, unknown], drafts, '2026-12-01')).toEqual([]);
  });
});

describe('pasting from a spreadsheet', () => {
  it('splits rows and cells, without an extra row for the trailing line break', () => {
    expect(parseClipboard('1\t2\t3\r\n4\t5\t6\r\n')).toEqual([['1', '2', '3'], ['4', '5', '6']]);
    expect(parseClipboard('7')).toEqual([['7']]);
    expect(parseClipboard('"a\tb"\t"say ""x"""\n')).toEqual([['a\tb', 'say "x"']]);
    expect(parseClipboard('1\t\t3')).toEqual([['1', '', '3']]);
  });

  it('fills the block from the cell pasted into and counts what lies outside', () => {
    const plan = pastePlan([['1', '2', '3'], ['4', '5', '6']], { row: 2, col: 8 }, 3, 10);
    expect(plan.cells).toEqual([{ row: 2, col: 8, text: '1' }, { row: 2, col: 9, text: '2' }]);
    expect(plan.outside).toBe(4);
  });
});

describe('moving between cells', () => {
  const cols = COLUMNS.length;
  it('follows arrows, Enter, Home and End within the grid', () => {
    expect(navigate({ row: 1, col: 1 }, { key: 'ArrowDown' }, 3, cols)).toEqual({ row: 2, col: 1 });
    expect(navigate({ row: 2, col: 1 }, { key: 'ArrowDown' }, 3, cols)).toEqual({ row: 2, col: 1 });
    expect(navigate({ row: 0, col: 1 }, { key: 'ArrowUp' }, 3, cols)).toEqual({ row: 0, col: 1 });
    expect(navigate({ row: 1, col: 1 }, { key: 'Enter' }, 3, cols)).toEqual({ row: 2, col: 1 });
    expect(navigate({ row: 1, col: 1 }, { key: 'Enter', shift: true }, 3, cols)).toEqual({ row: 0, col: 1 });
    expect(navigate({ row: 1, col: 4 }, { key: 'Home' }, 3, cols)).toEqual({ row: 1, col: 0 });
    expect(navigate({ row: 1, col: 4 }, { key: 'End' }, 3, cols)).toEqual({ row: 1, col: cols - 1 });
    expect(navigate({ row: 1, col: 4 }, { key: 'End', ctrl: true }, 3, cols)).toEqual({ row: 2, col: cols - 1 });
  });

  it('leaves the caret to the input unless it is at the edge of the text', () => {
    expect(navigate({ row: 0, col: 3 }, { key: 'ArrowLeft', atStart: false }, 3, cols)).toBeNull();
    expect(navigate({ row: 0, col: 3 }, { key: 'ArrowLeft', atStart: true }, 3, cols)).toEqual({ row: 0, col: 2 });
    expect(navigate({ row: 0, col: 3 }, { key: 'ArrowRight', atEnd: true }, 3, cols)).toEqual({ row: 0, col: 4 });
    expect(navigate({ row: 0, col: 3 }, { key: 'a' }, 3, cols)).toBeNull();
  });

  it('wraps Tab into the next row and lets it leave the grid at either end', () => {
    expect(navigate({ row: 0, col: cols - 1 }, { key: 'Tab' }, 3, cols)).toEqual({ row: 1, col: 0 });
    expect(navigate({ row: 1, col: 0 }, { key: 'Tab', shift: true }, 3, cols)).toEqual({ row: 0, col: cols - 1 });
    expect(navigate({ row: 2, col: cols - 1 }, { key: 'Tab' }, 3, cols)).toBeNull();
    expect(navigate({ row: 0, col: 0 }, { key: 'Tab', shift: true }, 3, cols)).toBeNull();
  });
});

it('reads the report and field a batch error names', () => {
  expect(batchErrorCell('/reports/3/kita_free')).toEqual({ index: 3, field: 'kita_free' });
  expect(batchErrorCell('/reports/0')).toEqual({ index: 0, field: '' });
  expect(batchErrorCell('/kreis')).toBeNull();
});
