import ExcelJS from 'exceljs';
import { unzipSync, zipSync, type Unzipped } from 'fflate';
import { ProblemType, type FieldError } from '@ilk/core';
import type { SheetCell } from '@ilk/core/capacity-import';
import { badRequest, HttpProblem } from '../errors.ts';
import type { ZipLimits } from '../import/zip-archive.ts';
import { IMPORT_LIMITS } from './import-body.ts';

/** What the import reads from a workbook: the first sheet's rows, and the names of the others. */
export interface SheetTable {
  sheet: string;
  ignored_sheets: string[];
  date1904: boolean;
  /** Non-empty rows in order; `row` is the sheet's own row number. */
  rows: { row: number; cells: SheetCell[] }[];
}

/**
 * An XLSX of capacity reports is a few sheets of a few thousand cells. Its XML compresses about
 * tenfold, so 50,000 rows fit well below maxTotalBytes; far more is a zip bomb or no report.
 */
export const XLSX_ZIP_LIMITS: ZipLimits = { maxEntries: 500, maxTotalBytes: 200 * 1024 * 1024 };

const notXlsx = (why: string) => badRequest(`not an XLSX file: ${why}; save the workbook as "Excel-Arbeitsmappe (.xlsx)" or send CSV`, [{ field: '/', message: `is not an XLSX file (${why})` }]);
const tooLarge = (why: string) => new HttpProblem(413, ProblemType.payloadTooLarge, 'Payload too large', why);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Declared sizes from the central directory, checked before a single byte is inflated. */
function checkEntries(data: Uint8Array, limits: ZipLimits): string[] {
  const names: string[] = [];
  let total = 0;
  unzipSync(data, {
    filter: (entry) => {
      total += entry.originalSize;
      if (names.length + 1 > limits.maxEntries) throw tooLarge(`the XLSX holds more than ${limits.maxEntries} zip entries; the file is refused`);
      if (total > limits.maxTotalBytes) throw tooLarge(`the XLSX unpacks to more than ${limits.maxTotalBytes / 1024 ** 2} MiB; the file is refused (zip bomb?)`);
      names.push(entry.name);
      return false;
    },
  });
  return names;
}

/**
 * Unpacks the archive with fflate, which inflates each entry into a buffer of its declared
 * (and checked) size and never grows it: an entry lying about its size cannot fill memory.
 * The honest entries are packed again, stored, for exceljs, so its own unzip sees only them;
 * a sheet of more rows than an import may hold is refused before that.
 */
function safeArchive(body: Buffer, limits: ZipLimits): Uint8Array {
  if (body.length < 4 || ZIP_MAGIC.some((b, i) => body[i] !== b)) throw notXlsx('it is no zip archive');
  let files: Unzipped;
  try {
    checkEntries(body, limits);
    files = unzipSync(body);
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    if (err instanceof RangeError) throw tooLarge('an entry of the XLSX inflates to more than its declared size; the file is refused (zip bomb?)');
    throw notXlsx(`the zip archive is damaged (${(err as Error).message})`);
  }
  if (!files['xl/workbook.xml']) throw notXlsx('the archive has no xl/workbook.xml (an .xls, .ods or other zip?)');
  assertRowLimit(files);
  return zipSync(files, { level: 0 });
}

// A row element per row: counted on the raw XML bytes (no decoding), so 50,001 rows are refused
// before exceljs builds a cell object for each of them. `<row` or a prefixed `<x:row`, followed
// by a space or `>` (not `<rowBreaks>`).
function countRows(xml: Uint8Array): number {
  const bytes = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  let n = 0;
  for (const needle of ['<row', ':row']) {
    for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 4)) {
      const next = bytes[i + 4];
      // `</x:row>` closes a row: only an opening tag counts.
      const opening = needle === '<row' || bytes[bytes.lastIndexOf('<', i) + 1] !== 0x2f;
      if ((next === 0x20 || next === 0x3e) && opening) n++;
    }
  }
  return n;
}

function assertRowLimit(files: Unzipped): void {
  for (const [name, bytes] of Object.entries(files)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    const rows = countRows(bytes);
    if (rows > IMPORT_LIMITS.maxRows + 1) throw tooLarge(`an import holds at most ${IMPORT_LIMITS.maxRows} rows; split the file (a sheet has ${rows - 1} data rows)`);
  }
}

function cellValue(cell: ExcelJS.Cell, errors: FieldError[]): SheetCell {
  const v = cell.value;
  switch (cell.type) {
    case ExcelJS.ValueType.Null:
    case ExcelJS.ValueType.Merge:
      return null;
    case ExcelJS.ValueType.Number:
    case ExcelJS.ValueType.String:
    case ExcelJS.ValueType.Date:
      return v as number | string | Date;
    case ExcelJS.ValueType.RichText:
      return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    case ExcelJS.ValueType.Hyperlink:
      return String((v as ExcelJS.CellHyperlinkValue).text ?? '');
    case ExcelJS.ValueType.Formula: {
      const f = v as ExcelJS.CellFormulaValue & { sharedFormula?: string };
      const text = (f.formula ?? f.sharedFormula ?? '').slice(0, 60);
      errors.push({ field: `cell ${cell.address}`, message: `contains a formula (=${text}); the import reads values only: copy the sheet and paste it as values ("Werte einfügen")` });
      return null;
    }
    case ExcelJS.ValueType.Boolean:
      return String(v);
    default:
      errors.push({ field: `cell ${cell.address}`, message: `holds an error value (${(v as { error?: string })?.error ?? '#?'})` });
      return null;
  }
}

/** The first worksheet of an XLSX body as rows of cells; formulas and error values are refused naming the cell. */
export async function readXlsx(body: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<SheetTable> {
  const repacked = safeArchive(body, limits);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(repacked as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw notXlsx(`the workbook cannot be read (${(err as Error).message.slice(0, 200)})`);
  }
  // exceljs keeps the tab order in orderNo, which its typings do not declare.
  const order = (w: ExcelJS.Worksheet) => (w as unknown as { orderNo: number }).orderNo;
  const sheets = [...workbook.worksheets].sort((a, b) => order(a) - order(b));
  const first = sheets[0];
  if (!first) throw notXlsx('the workbook has no worksheet');
  const errors: FieldError[] = [];
  const rows: SheetTable['rows'] = [];
  first.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: SheetCell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellValue(cell, errors);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= null;
    if (cells.some((c) => c !== null && !(typeof c === 'string' && c.trim() === ''))) rows.push({ row: number, cells });
  });
  if (errors.length > 0) {
    throw badRequest(`${errors.length} cells cannot be imported (first: ${errors[0]!.field} ${errors[0]!.message}); nothing was imported`, errors.slice(0, 1000));
  }
  return { sheet: first.name, ignored_sheets: sheets.slice(1).map((s) => s.name), date1904: workbook.properties.date1904 === true, rows };
}
