import { describe, expect, it } from 'vitest';
import { CAPACITY_FIELDS } from '../../core/src/schemas/capacity.ts';
import {
  capacityCandidate, capacityColumnOf, cellRef, mapCapacityHeader, matchUnit, parseCount, parseReportDate, serialToIsoDate, unitNameKey,
  type UnitForMatch,
} from '../../core/src/capacity-import.ts';

const GERMAN = ['Amt', 'Stichtag', 'Freie Wohnplätze', 'davon barrierefrei', 'Gemeinschaftsunterkunft', 'Kita', 'Schule', 'Sprachkurs', 'Hausärzte', 'untergebracht', 'Zugang seit 1.1.', 'Bemerkung'];

describe('capacity import: header', () => {
  it('maps the German headers of an Amt\'s spreadsheet to every field', () => {
    const { columns, errors } = mapCapacityHeader(GERMAN);
    expect(errors).toEqual([]);
    expect(columns).toEqual(['name', 'report_date', ...CAPACITY_FIELDS, 'note']);
  });

  it('maps the English keys, ARS spellings and headers with trailing words', () => {
    expect(mapCapacityHeader(['ars', 'report_date', ...CAPACITY_FIELDS]).errors).toEqual([]);
    expect(capacityColumnOf('Regionalschlüssel')).toBe('ars');
    expect(capacityColumnOf('AGS')).toBe('ars');
    expect(capacityColumnOf('Meldedatum')).toBe('report_date');
    expect(capacityColumnOf('Zugang seit 1.1.2026')).toBe('intake_ytd');
    expect(capacityColumnOf('Kita (Plätze)')).toBe('kita_free');
    expect(capacityColumnOf('Hausärzte, die aufnehmen')).toBe('gp_accepting');
    // The longest alias wins: not housing_free.
    expect(capacityColumnOf('Freie Wohnplätze barrierefrei 2026')).toBe('housing_free_barrier_free');
    expect(capacityColumnOf('Gemeinde')).toBe('name');
    expect(capacityColumnOf('Wohnungen')).toBeUndefined();
  });

  it('names unknown, repeated and missing columns, with the header cell', () => {
    const { errors } = mapCapacityHeader(['Name', 'Amt', 'Stichtag', 'Wohnungen', 'Kita']);
    expect(errors).toEqual(expect.arrayContaining([
      { field: 'Wohnungen (D1)', message: 'is not a known column' },
      { field: 'Amt (B1)', message: 'names the column name a second time' },
      { field: 'housing_free', message: 'column is missing' },
    ]));
    expect(errors.some((e) => e.field === 'kita_free')).toBe(false);
    expect(mapCapacityHeader(['Amt', ...CAPACITY_FIELDS]).errors).toEqual([{ field: 'report_date', message: 'column is missing (or give ?report_date= for all rows)' }]);
    expect(mapCapacityHeader(['Amt', ...CAPACITY_FIELDS], true).errors).toEqual([]);
    expect(mapCapacityHeader(['Stichtag', ...CAPACITY_FIELDS]).errors[0]!.field).toBe('ars/name');
  });

  it('skips columns with an empty header', () => {
    expect(mapCapacityHeader([...GERMAN, '', ' ']).columns.slice(-2)).toEqual([null, null]);
  });

  it('writes cell references as a spreadsheet does', () => {
    expect([cellRef(0, 1), cellRef(25, 7), cellRef(26, 2), cellRef(27, 3), cellRef(701, 4), cellRef(702, 5)]).toEqual(['A1', 'Z7', 'AA2', 'AB3', 'ZZ4', 'AAA5']);
  });
});

describe('capacity import: values', () => {
  it('accepts whole numbers only', () => {
    expect([parseCount(0), parseCount(12), parseCount('12'), parseCount(' 7 '), parseCount('+3')]).toEqual([0, 12, 12, 7, 3]);
    for (const bad of ['12,0', '3.5', '1.234', '-1', 'zwölf', '', '1e3']) expect(parseCount(bad), bad).toHaveProperty('error');
    for (const bad of [3.5, -1, 1_000_001]) expect(parseCount(bad), String(bad)).toHaveProperty('error');
    expect(parseCount(new Date())).toHaveProperty('error');
  });

  it('reads German and ISO dates and refuses impossible ones', () => {
    expect(parseReportDate('31.12.2025')).toBe('2025-12-31');
    expect(parseReportDate('1.2.2026')).toBe('2026-02-01');
    expect(parseReportDate('2026-02-28')).toBe('2026-02-28');
    for (const bad of ['31.02.2026', '2026-13-01', '12/31/2025', '31.12.25', 'gestern']) expect(parseReportDate(bad), bad).toHaveProperty('error');
    expect(parseReportDate(new Date(Date.UTC(2026, 0, 15)))).toBe('2026-01-15');
  });

  it('converts date serials of both date systems', () => {
    expect(serialToIsoDate(46022)).toBe('2025-12-31');
    expect(serialToIsoDate(1)).toBe('1900-01-01');
    expect(serialToIsoDate(59)).toBe('1900-02-28');
    expect(serialToIsoDate(60)).toBeUndefined(); // Excel's fictitious 29 Feb 1900
    expect(serialToIsoDate(61)).toBe('1900-03-01');
    expect(serialToIsoDate(44560, true)).toBe('2025-12-31');
    expect(serialToIsoDate(0, true)).toBeUndefined();
    expect(parseReportDate(46022.5)).toHaveProperty('error');
    expect(parseReportDate(46022)).toBe('2025-12-31');
    expect(parseReportDate(44560, true)).toBe('2025-12-31');
  });
});

describe('capacity import: rows', () => {
  const { columns } = mapCapacityHeader(GERMAN);

  it('turns a good row into values', () => {
    const c = capacityCandidate(columns, ['Amt Büchen', '01.12.2026', 5, '2', 0, 1, 2, 3, 4, 50, 7, 'per Mail'], 2);
    expect(c.errors).toEqual([]);
    expect(c).toMatchObject({ row: 2, ars: null, name: 'Amt Büchen' });
    expect(c.values).toEqual({
      report_date: '2026-12-01', housing_free: 5, housing_free_barrier_free: 2, shared_accommodation_places: 0, kita_free: 1, school_free: 2,
      language_course_free: 3, gp_accepting: 4, refugees_housed: 50, intake_ytd: 7, note: 'per Mail',
    });
  });

  it('names every bad cell by row, field and cell reference', () => {
    const c = capacityCandidate(columns, ['Amt Büchen', '', 1, 2, 0, '12,0', null, 3, 4, 50, 7, null, 'extra'], 9);
    expect(c.values).toBeNull();
    expect(c.errors).toEqual([
      { field: 'row 9', message: 'has 13 cells; the header has 12' },
      { field: 'row 9, report_date (B9)', message: 'is missing' },
      { field: 'row 9, kita_free (F9)', message: expect.stringContaining('not a whole number') },
      { field: 'row 9, school_free (G9)', message: 'is missing (enter 0 for none)' },
      { field: 'row 9, housing_free_barrier_free (D9)', message: 'must not exceed housing_free (1)' },
    ]);
  });

  it('takes a default date for rows without one', () => {
    expect(capacityCandidate(columns, ['Amt Büchen', null, 1, 0, 0, 0, 0, 0, 0, 0, 0], 2, { defaultDate: '2026-12-24' }).values?.report_date).toBe('2026-12-24');
  });
});

describe('capacity import: matching units', () => {
  const units: UnitForMatch[] = [
    { ars: '010535313000', name: 'Breitenfelde', gemeinden: ['01053015', '01053020'] },
    { ars: '010530090000', name: 'Mölln', gemeinden: ['01053090'] },
    { ars: '010535373000', name: 'Schwarzenbek-Land', gemeinden: ['01053004', '01053011'] },
    { ars: '010530116000', name: 'Schwarzenbek', gemeinden: ['01053116'] },
    { ars: '010995901000', name: 'Amt Bliekhusen', gemeinden: ['01099003'] },
    { ars: '010885901000', name: 'Bliekhusen', gemeinden: ['01088003'] },
  ];

  it('matches names in their usual spellings', () => {
    expect(matchUnit(units, null, 'Amt Breitenfelde')).toEqual({ ars: '010535313000' });
    expect(matchUnit(units, null, '  breitenfelde ')).toEqual({ ars: '010535313000' });
    expect(matchUnit(units, null, 'Stadt Mölln')).toEqual({ ars: '010530090000' });
    expect(matchUnit(units, null, 'SCHWARZENBEK')).toEqual({ ars: '010530116000' });
    expect(matchUnit(units, null, 'Amt  Schwarzenbek-Land')).toEqual({ ars: '010535373000' });
    // An exact name wins over the same name without its prefix.
    expect(matchUnit(units, null, 'Amt Bliekhusen')).toEqual({ ars: '010995901000' });
    expect(unitNameKey('Amt  Lauenburgische   Seen')).toBe('lauenburgische seen');
  });

  it('refuses unknown and ambiguous names', () => {
    expect(matchUnit(units, null, 'Nirgendwo')).toMatchObject({ error: expect.stringContaining('no allocation unit named "Nirgendwo"') });
    const twins = [...units, { ars: '010885902000', name: 'Amt Breitenfelde', gemeinden: ['01088005'] }];
    expect(matchUnit(twins, null, 'Gemeinde Breitenfelde')).toMatchObject({ error: expect.stringContaining('ambiguous') });
  });

  it('matches ARS, an ARS without its leading zero, the Verband key and the AGS of a one-Gemeinde unit', () => {
    expect(matchUnit(units, '010535313000', null)).toEqual({ ars: '010535313000' });
    expect(matchUnit(units, '10535313000', null)).toEqual({ ars: '010535313000' });
    expect(matchUnit(units, '010535313', null)).toEqual({ ars: '010535313000' });
    expect(matchUnit(units, '01053090', null)).toEqual({ ars: '010530090000' });
    expect(matchUnit(units, '1053090', null)).toEqual({ ars: '010530090000' });
    expect(matchUnit(units, '01053015', null)).toMatchObject({ error: expect.stringContaining('Breitenfelde') });
    expect(matchUnit(units, '010539999000', null)).toHaveProperty('error');
    expect(matchUnit(units, '0105', null)).toHaveProperty('error');
    // The ARS decides; a name beside it is not consulted.
    expect(matchUnit(units, '010530090000', 'Breitenfelde')).toEqual({ ars: '010530090000' });
  });
});
