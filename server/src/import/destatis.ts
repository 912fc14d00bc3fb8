import { ImportInputError } from './errors.ts';

// The Gemeindeverzeichnis (GV-ISys) of the Statistisches Bundesamt, as a comma-separated
// re-save of the official spreadsheet. Only these columns are read; the header must carry
// them by these names, so that a file in another layout is refused instead of misread.
const REQUIRED_COLUMNS = ['satzart', 'textkennzeichen', 'land', 'rb', 'kreis', 'vb', 'gemeinde', 'gemeindename',
  'bevoelkerung', 'laengengrad', 'breitengrad'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number];

/** Satzart: 10 Land, 40 Kreis, 50 Gemeindeverband, 60 Gemeinde (20 Regierungsbezirk, 30 Region are skipped). */
export type Satzart = 10 | 40 | 50 | 60;

export interface RegisterRow {
  satzart: Satzart;
  /** 2 (Land), 5 (Kreis), 9 (Verband: Kreis + vb) or 8 (Gemeinde: Kreis + gemeinde) digits. */
  key: string;
  /** For a Gemeinde the 12-digit ARS (Kreis + vb + gemeinde); otherwise the key. */
  ars: string;
  name: string;
  textkennzeichen: string;
  population: number | null;
  lon: number | null;
  lat: number | null;
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface Register {
  file: string;
  lands: Map<string, RegisterRow>;
  kreise: Map<string, RegisterRow>;
  verbaende: Map<string, RegisterRow>;
  /** Keyed by AGS (8 digits: land + rb + kreis + gemeinde). */
  gemeinden: Map<string, RegisterRow>;
}

/** RFC 4180 records: commas, double quotes around fields with commas, "" for a quote, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** "90 164" -> 90164 (spaces as thousands separators), "9,43751" -> 9.43751; empty -> null. */
export function parseGermanNumber(raw: string): number | null {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  const n = Number(s.replace(',', '.'));
  return /^-?\d+([.,]\d+)?$/.test(s) && Number.isFinite(n) ? n : Number.NaN;
}

const DIGITS: Partial<Record<Column, number>> = { land: 2, rb: 1, kreis: 2, vb: 4, gemeinde: 3 };
const LEVELS_BY_SATZART: Record<string, (keyof typeof DIGITS)[]> = {
  '10': ['land'], '40': ['land', 'rb', 'kreis'], '50': ['land', 'rb', 'kreis', 'vb'], '60': ['land', 'rb', 'kreis', 'vb', 'gemeinde'],
};

function fail(file: string, line: number, problem: string): never {
  throw new ImportInputError(file, `line ${line}: ${problem}`);
}

function toRow(file: string, line: number, get: (c: Column) => string): RegisterRow | null {
  const satzart = get('satzart').trim();
  const levels = LEVELS_BY_SATZART[satzart];
  if (!levels) {
    if (/^(20|30)$/.test(satzart)) return null;
    fail(file, line, `unknown satzart "${satzart}" (expected 10, 20, 30, 40, 50 or 60)`);
  }
  const part: Record<string, string> = {};
  for (const c of levels) {
    part[c] = get(c).trim();
    if (!new RegExp(`^\\d{${DIGITS[c]}}$`).test(part[c]!)) fail(file, line, `column ${c} must have ${DIGITS[c]} digits, found "${get(c)}"`);
  }
  const population = satzart === '60' ? parseGermanNumber(get('bevoelkerung')) : null;
  const [lon, lat] = [parseGermanNumber(get('laengengrad')), parseGermanNumber(get('breitengrad'))];
  if ([population, lon, lat].some((n) => Number.isNaN(n))) fail(file, line, 'a number in bevoelkerung, laengengrad or breitengrad cannot be read');
  if (population !== null && !(Number.isInteger(population) && population >= 0)) fail(file, line, `bevoelkerung must be a whole number, found "${get('bevoelkerung')}"`);
  const kreis = `${part.land}${part.rb ?? ''}${part.kreis ?? ''}`;
  const key = satzart === '60' ? `${kreis}${part.gemeinde}` : satzart === '50' ? `${kreis}${part.vb}` : kreis;
  return {
    satzart: Number(satzart) as Satzart, key, ars: satzart === '60' ? `${kreis}${part.vb}${part.gemeinde}` : key,
    name: get('gemeindename').trim(), textkennzeichen: get('textkennzeichen').trim(), population, lon, lat, line,
  };
}

/** Parses the register; refuses a file whose header lacks a required column or whose rows do not fit it. */
export function parseRegister(text: string, file: string): Register {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ImportInputError(file, `not a Destatis Gemeindeverzeichnis in the expected layout (comma-separated, header with ${REQUIRED_COLUMNS.join(', ')}): ` +
      `missing ${missing.join(', ')}; found header "${(records[0] ?? []).join(',').slice(0, 200)}"`);
  }
  const index = Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
  const register: Register = { file, lands: new Map(), kreise: new Map(), verbaende: new Map(), gemeinden: new Map() };
  const maps = { 10: register.lands, 40: register.kreise, 50: register.verbaende, 60: register.gemeinden } as const;
  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0]!.trim() === '') return;
    if (cells.length !== header.length) fail(file, line, `${cells.length} fields, but the header has ${header.length}`);
    const row = toRow(file, line, (c) => cells[index[c]]!);
    if (!row) return;
    const map = maps[row.satzart];
    if (map.has(row.key)) fail(file, line, `key ${row.key} (satzart ${row.satzart}) also on line ${map.get(row.key)!.line}`);
    map.set(row.key, row);
  });
  if (register.gemeinden.size === 0) throw new ImportInputError(file, 'no Gemeinde rows (satzart 60)');
  return register;
}
