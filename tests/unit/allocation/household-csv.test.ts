import { describe, expect, it } from 'vitest';
import { parseHouseholdCsv } from '../../../core/src/allocation/index.ts';
import { splitCsvLine } from '../../../core/src/allocation/household-csv.ts';
import { household } from './fixtures.ts';

describe('parseHouseholdCsv', () => {
  it('reads a German spreadsheet paste with semicolons', () => {
    const text = [
      'Personen;Kinder_0_2;Kinder_3_5;Kinder_6_17;Sprachen;Barrierefrei;Medizinisch',
      '4;1;0;1;ar en;ja;nein',
      '',
      '1;;;;uk;;x',
    ].join('\r\n');
    expect(parseHouseholdCsv(text)).toEqual({
      profiles: [
        household({
          size: 4,
          children_0_2: 1,
          children_6_17: 1,
          languages: ['ar', 'en'],
          needs_barrier_free: true,
        }),
        household({ size: 1, languages: ['uk'], needs_medical: true }),
      ],
      errors: [],
    });
  });

  it('reads commas with quoted language lists and leaves out columns it does not need', () => {
    const { profiles } = parseHouseholdCsv('size,languages\n3,"fa, ps"');
    expect(profiles).toEqual([household({ size: 3, languages: ['fa', 'ps'] })]);
  });

  it('names the line and column of every error and keeps the valid rows', () => {
    const text = ['size;kinder_6_17;sprachen;medizinisch', '2;3;ar;nein', '0;0;xx;vielleicht', '2;0;de'];
    const result = parseHouseholdCsv(text.join('\n'));
    expect(result.profiles).toEqual([]);
    expect(result.errors).toEqual([
      { row: 2, column: null, message: '3 children in a household of 2' },
      { row: 3, column: 'languages', message: 'unknown ISO 639-1 code xx' },
      { row: 3, column: 'needs_medical', message: 'expected ja/nein, got "vielleicht"' },
      { row: 4, column: null, message: 'expected 4 cells, got 3' },
    ]);
    expect(parseHouseholdCsv('size\n0').errors).toEqual([
      { row: 2, column: 'size', message: 'a household has at least one person' },
    ]);
  });

  it('refuses identifying columns as a whole', () => {
    const result = parseHouseholdCsv('Name;Personen;Geburtsdatum\nMuster;2;01.01.1990');
    expect(result.profiles).toEqual([]);
    expect(result.errors.map((e) => e.column)).toEqual(['name', 'geburtsdatum']);
  });

  it('requires a size column and rejects unknown ones', () => {
    expect(parseHouseholdCsv('sprachen;farbe\nar;blau').errors).toEqual([
      { row: 1, column: 'farbe', message: 'unknown column' },
      { row: 1, column: 'size', message: 'missing column' },
    ]);
  });
});

describe('splitCsvLine', () => {
  it('keeps delimiters and doubled quotes inside quotes', () => {
    expect(splitCsvLine('a;"b;c";"d ""e"""', ';')).toEqual(['a', 'b;c', 'd "e"']);
  });
});
