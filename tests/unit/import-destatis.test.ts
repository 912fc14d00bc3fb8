import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseGermanNumber, parseRegister } from '../../server/src/import/destatis.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';

const HEADER = 'satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,verstaedterungschluessel,verstaedterungbezeichnung';
const REAL = join(OFFICIAL_DIR, 'destatis-gv-2019', 'gemeindeverzeichnis-auszug.csv');

describe('parseCsv', () => {
  it('reads quoted fields with commas and doubled quotes, CRLF and LF', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\n1,,3\n')).toEqual([['a', 'b, c', 'say "hi"'], ['1', '', '3']]);
  });
});

describe('parseGermanNumber', () => {
  it('reads spaces as thousands separators and decimal commas', () => {
    expect(parseGermanNumber(' 90 164')).toBe(90164);
    expect(parseGermanNumber('9,43751')).toBe(9.43751);
    expect(parseGermanNumber(' 53.02')).toBe(53.02);
    expect(parseGermanNumber('')).toBeNull();
    expect(parseGermanNumber('n/a')).toBeNaN();
  });
});

describe('parseRegister', () => {
  it('reads the real extract: BOM, levels 10/40/50/60, Herzogtum Lauenburg with its 133 Gemeinden', () => {
    const register = parseRegister(readFileSync(REAL, 'utf8'), REAL);
    expect(register.lands.get('01')?.name).toBe('Schleswig-Holstein');
    expect(register.kreise.get('01053')?.name).toBe('Herzogtum Lauenburg');
    const lauenburg = [...register.gemeinden.values()].filter((g) => g.key.startsWith('01053'));
    expect(lauenburg).toHaveLength(133);
    expect(lauenburg.reduce((s, g) => s + g.population!, 0)).toBe(198019);
    expect(register.gemeinden.get('01001000')).toMatchObject({ name: 'Flensburg, Stadt', population: 90164, lon: 9.43751, lat: 54.78252, ars: '010010000000' });
    expect(register.gemeinden.get('01053105')).toMatchObject({ population: 0, ars: '010539105105' });
  });

  it('refuses another layout and names the file and the missing columns', () => {
    const semicolons = `${HEADER.replaceAll(',', ';')}\n60;61;01;0;01;0000;000;Flensburg;1;2;3;4;5;6;7;8;9;10;11;12\n`;
    expect(() => parseRegister(semicolons, 'gv.csv')).toThrow(/^gv\.csv: not a Destatis Gemeindeverzeichnis in the expected layout.*missing satzart/);
  });

  it('refuses a row that does not fit the header, with its line number', () => {
    const text = `${HEADER}\n10,,01,,,,,Schleswig-Holstein,,,,,,,,,,,,\n60,61,01,0,01,0000,000,Flensburg\n`;
    expect(() => parseRegister(text, 'gv.csv')).toThrow('gv.csv: line 3: 8 fields, but the header has 20');
  });

  it('refuses a key of the wrong length and a population that is no whole number', () => {
    const row = (kreis: string, pop: string) => `${HEADER}\n60,61,01,0,${kreis},0000,000,"X",1,"${pop}",,,,,,,,,,\n`;
    expect(() => parseRegister(row('1', '5'), 'gv.csv')).toThrow('gv.csv: line 2: column kreis must have 2 digits, found "1"');
    expect(() => parseRegister(row('01', '1.234'), 'gv.csv')).toThrow(/line 2: bevoelkerung must be a whole number/);
  });
});
