import ExcelJS from 'exceljs';

/** The German header an Amt's spreadsheet typically has, in the order rowOf() fills it. */
export const GERMAN_HEADER = ['Amt', 'Stichtag', 'Freie Wohnplätze', 'davon barrierefrei', 'Gemeinschaftsunterkunft', 'Kita', 'Schule', 'Sprachkurs', 'Hausärzte', 'untergebracht', 'Zugang seit 1.1.', 'Bemerkung'];

export type Cell = string | number | Date | null | { formula: string; result?: number };

/** A data row for GERMAN_HEADER: the unit, the date and nine counts (n, n-1 barrier-free, ...). */
export const rowOf = (unit: string, date: Cell, n: number, note: string | null = null): Cell[] =>
  [unit, date, n, Math.max(0, n - 1), n + 1, n + 2, n + 3, n + 4, 1, 10 * n, 2 * n, note];

/** A CSV text (semicolon, as German Excel writes it) of the header and rows. */
export const csvOf = (header: readonly string[], rows: readonly Cell[][]) =>
  [header, ...rows].map((r) => r.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c))).join(';')).join('\r\n') + '\r\n';

export interface XlsxOptions {
  date1904?: boolean;
  /** Further sheets after the first (they must be ignored and listed). */
  extraSheets?: string[];
  sheetName?: string;
}

/** An XLSX workbook written by exceljs: the first sheet holds header and rows. */
export async function xlsxOf(header: readonly Cell[], rows: readonly Cell[][], opts: XlsxOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (opts.date1904) wb.properties.date1904 = true;
  const ws = wb.addWorksheet(opts.sheetName ?? 'Meldungen');
  ws.addRow([...header]);
  for (const r of rows) ws.addRow([...r]);
  for (const name of opts.extraSheets ?? []) wb.addWorksheet(name).addRow(['Hinweis', 'wird nicht gelesen']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
