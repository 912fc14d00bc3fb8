// CSV as RFC 4180 describes it, plus what spreadsheets actually produce: a UTF-8 BOM, a
// semicolon instead of a comma (German Excel), LF or CRLF line ends. Pure: no I/O.

export type CsvDelimiter = ',' | ';';

export const BOM = '\uFEFF';

/** A malformed file (an unclosed quote, text after a closing quote); `line` is 1-based. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** More data records than allowed; thrown as soon as the limit is passed. */
export class CsvLimitError extends Error {
  override readonly name = 'CsvLimitError';
  constructor(readonly limit: number) {
    super(`the file has more than ${limit} data rows`);
  }
}

export interface CsvRecord {
  /** The physical line the record starts on (a quoted cell may span lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: CsvDelimiter;
  header: string[];
  /** Data records without the header; records whose cells are all blank are dropped. */
  records: CsvRecord[];
}

export const stripBom = (text: string) => (text.startsWith(BOM) ? text.slice(1) : text);

/** The delimiter of the header line: whichever of ';' and ',' occurs more often outside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '\n' || ch === '\r') break;
    else if (ch === ';') semicolons++;
    else if (ch === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

const NEWLINES = /\r\n|\r|\n/g;
const countLines = (s: string) => s.match(NEWLINES)?.length ?? 0;

/** Reads a quoted field starting at the opening quote; returns the value and the index after the closing quote. */
function readQuoted(text: string, start: number, line: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) throw new CsvSyntaxError('a quoted cell is not closed', line);
    value += text.slice(i, q);
    if (text[q + 1] !== '"') return [value, q + 1];
    value += '"';
    i = q + 2;
  }
}

/**
 * Parses a whole CSV text. The delimiter is detected from the header line unless given;
 * a BOM is dropped. `maxRecords` bounds the data records (CsvLimitError), so an oversized
 * upload is refused while it is being read rather than after.
 */
export function parseCsv(input: string, opts: { delimiter?: CsvDelimiter; maxRecords?: number } = {}): CsvTable {
  const text = stripBom(input);
  const d = opts.delimiter ?? detectDelimiter(text);
  const max = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  const all: CsvRecord[] = [];
  let cells: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  for (;;) {
    let value: string;
    if (text[i] === '"') {
      [value, i] = readQuoted(text, i, line);
      line += countLines(value);
      const t = text[i];
      if (t !== undefined && t !== d && t !== '\r' && t !== '\n') throw new CsvSyntaxError('unexpected text after a closing quote', line);
    } else {
      let j = i;
      while (j < text.length && text[j] !== d && text[j] !== '\n' && text[j] !== '\r') j++;
      value = text.slice(i, j);
      i = j;
    }
    cells.push(value);
    const t = text[i];
    if (t === d) {
      i++;
      continue;
    }
    if (cells.some((c) => c.trim() !== '')) {
      all.push({ line: recordLine, cells });
      if (all.length > max + 1) throw new CsvLimitError(max);
    }
    cells = [];
    if (t === undefined) break;
    i += t === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    recordLine = line;
    if (i >= text.length) break;
  }
  const [head, ...records] = all;
  return { delimiter: d, header: head?.cells ?? [], records };
}

/** A value a CSV cell is written from; arrays are joined with `|`. */
export type CsvValue = string | number | boolean | null | undefined | readonly string[];

export interface CsvWriteOptions {
  delimiter: CsvDelimiter;
  /** Write 3,5 instead of 3.5 (German spreadsheets read a point as a thousands separator). */
  decimalComma: boolean;
}

// A text cell starting with one of these is a formula to a spreadsheet (CSV injection,
// OWASP): "=HYPERLINK(...)" would become a live link. Numbers are written by us and never
// carry one of these except a minus sign, so only text cells are neutralised.
const FORMULA_START = /^[=+\-@\t\r]/;

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** One cell: quoted when it holds the delimiter, a quote or a line break; formulas defused with a leading `'`. */
export function csvCell(value: CsvValue, opts: CsvWriteOptions): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    const s = opts.decimalComma ? String(value).replace('.', ',') : String(value);
    return s.includes(opts.delimiter) ? quote(s) : s;
  }
  const text = typeof value === 'string' ? value : value.join('|');
  if (FORMULA_START.test(text)) return quote(`'${text}`);
  return text.includes(opts.delimiter) || /["\r\n]/.test(text) ? quote(text) : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(values: readonly CsvValue[], opts: CsvWriteOptions): string {
  return `${values.map((v) => csvCell(v, opts)).join(opts.delimiter)}\r\n`;
}

/** Undoes csvCell's formula guard when a file we exported comes back: `'=x` is read as `=x`. */
export const unguardCell = (cell: string) => (cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);
