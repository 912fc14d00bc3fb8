import type { FastifyRequest } from 'fastify';
import { CAPACITY_FIELDS, ProblemType, type CapacityImportReport, type CapacityImportRow, type FieldError } from '@ilk/core';
import { capacityCandidate, mapCapacityHeader, matchUnit, type CapacityRowValues, type SheetCell } from '@ilk/core/capacity-import';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, HttpProblem, notFound } from '../errors.ts';
import * as capacity from '../repositories/capacity.repository.ts';
import { appendAudited, mayEditUnit } from './capacity-bulk.service.ts';
import { assertMayEdit } from './scope.ts';
import { MAX_PROBLEM_ERRORS } from './offer-import.service.ts';

/** A spreadsheet as both readers hand it over: a header row and data rows numbered as the sheet numbers them. */
export interface ImportSheet {
  format: 'csv' | 'xlsx';
  sheet?: string;
  ignored_sheets: string[];
  date1904: boolean;
  header: { row: number; cells: SheetCell[] } | undefined;
  rows: { row: number; cells: SheetCell[] }[];
}

export interface ImportOptions {
  kreis?: string | undefined;
  dryRun: boolean;
  reportDate?: string | undefined;
}

interface Planned {
  row: CapacityImportRow;
  values: CapacityRowValues;
}

const headerText = (c: SheetCell) => (c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? '' : String(c));

/** The units a file may name: those of ?kreis=, or of the caller's districts (admin: all). */
async function unitsInScope(db: Queryable, user: AuthUser, kreis: string | undefined) {
  if (kreis) {
    assertMayEdit(user, kreis, `Kreis ${kreis}`);
    if (!(await capacity.kreis(db, kreis))) throw notFound(`Kreis ${kreis}`);
    return capacity.units(db, [kreis.slice(0, 5)]);
  }
  return capacity.units(db, user.role === 'admin' ? null : user.districts.map((d) => d.slice(0, 5)));
}

function sameAsLatest(v: CapacityRowValues, latest: capacity.StoredReport | null): boolean {
  return latest !== null && latest.report_date === v.report_date && (latest.note ?? null) === v.note && CAPACITY_FIELDS.every((f) => latest[f] === v[f]);
}

function changesOf(v: CapacityRowValues, latest: capacity.StoredReport | null): CapacityImportRow['changes'] {
  const changes: CapacityImportRow['changes'] = {};
  for (const f of CAPACITY_FIELDS) if (!latest || latest[f] !== v[f]) changes[f] = { from: latest ? latest[f] : null, to: v[f] };
  return changes;
}

/** Reads the units, checks every row and predicts create or unchanged; throws 400/403 listing every bad row. */
async function plan(db: Queryable, user: AuthUser, sheet: ImportSheet, opts: ImportOptions): Promise<Planned[]> {
  const { columns, errors: headerErrors } = mapCapacityHeader((sheet.header?.cells ?? []).map(headerText), opts.reportDate !== undefined);
  if (headerErrors.length > 0) {
    // A cover sheet in front of the data is a common cause: say which sheet was read.
    const which = sheet.sheet === undefined ? '' : `; only the first sheet ("${sheet.sheet}") is read${sheet.ignored_sheets.length ? `; ignored: ${sheet.ignored_sheets.join(', ')}` : ''}`;
    throw badRequest(`the header row is not usable${which}: ${headerErrors.map((e) => `${e.field} ${e.message}`).join('; ')}`, headerErrors);
  }
  if (sheet.rows.length === 0) throw badRequest('the file has a header but no data rows', [{ field: 'rows', message: 'no data rows' }]);
  const units = await unitsInScope(db, user, opts.kreis);
  const byArs = new Map(units.map((u) => [u.ars, u]));
  const errors: FieldError[] = [];
  const outside: FieldError[] = [];
  const firstRowOf = new Map<string, number>();
  const planned: Planned[] = [];
  for (const { row, cells } of sheet.rows) {
    const c = capacityCandidate(columns, cells, row, { defaultDate: opts.reportDate, date1904: sheet.date1904 });
    errors.push(...c.errors);
    if (c.ars === null && c.name === null) continue;
    const match = matchUnit(units, c.ars, c.name);
    if ('error' in match) {
      // A unit of a district the caller may not edit is a matter of rights, not of the file.
      if (c.ars && /^\d{12}$/.test(c.ars) && !mayEditUnit(user, c.ars)) outside.push({ field: `row ${row}, ars`, message: `unit ${c.ars} lies outside the districts you may edit` });
      else errors.push({ field: `row ${row}, ${c.ars !== null ? 'ars' : 'name'}`, message: match.error });
      continue;
    }
    const seen = firstRowOf.get(match.ars);
    if (seen !== undefined) {
      errors.push({ field: `row ${row}, ${c.ars !== null ? 'ars' : 'name'}`, message: `names the same unit as row ${seen}; one report per unit and file` });
      continue;
    }
    firstRowOf.set(match.ars, row);
    if (!c.values) continue;
    const unit = byArs.get(match.ars)!;
    const action = sameAsLatest(c.values, unit.report) ? 'unchanged' : 'create';
    planned.push({ row: { row, ars: unit.ars, name: unit.name, action, changes: action === 'create' ? changesOf(c.values, unit.report) : {} }, values: c.values });
  }
  if (outside.length > 0) throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', `${outside.length} rows name units outside the districts you may edit; nothing was imported`, outside.slice(0, MAX_PROBLEM_ERRORS));
  if (errors.length > 0) {
    const rows = new Set(errors.map((e) => /^row (\d+)/.exec(e.field)?.[1]).filter(Boolean));
    throw badRequest(`${rows.size} of ${sheet.rows.length} rows are invalid (first: ${errors[0]!.field}: ${errors[0]!.message}); nothing was imported`, errors.slice(0, MAX_PROBLEM_ERRORS));
  }
  return planned;
}

const unchangedRows = (planned: readonly Planned[]) => planned.filter((p) => p.row.action === 'unchanged').length;

/**
 * A dry run checks and reports. A real run checks again inside one transaction, with the units
 * it writes locked, and appends a report for every row that differs from the unit's latest one:
 * all rows or none.
 */
export async function importCapacity(db: Database, user: AuthUser, request: FastifyRequest, sheet: ImportSheet, opts: ImportOptions): Promise<CapacityImportReport> {
  const head = { format: sheet.format, ...(sheet.sheet === undefined ? {} : { sheet: sheet.sheet }), ignored_sheets: sheet.ignored_sheets };
  if (opts.dryRun) {
    const planned = await plan(db, user, sheet, opts);
    return { dry_run: true, ...head, rows: planned.map((p) => p.row), written: 0, unchanged: unchangedRows(planned) };
  }
  return db.transaction(async (tx) => {
    const first = await plan(tx, user, sheet, opts);
    // Lock what will be written, then plan again: a report written meanwhile is seen.
    await capacity.lockVersions(tx, first.filter((p) => p.row.action === 'create').map((p) => p.row.ars));
    const planned = await plan(tx, user, sheet, opts);
    const creates = planned.filter((p) => p.row.action === 'create');
    await appendAudited(tx, user, request, creates.map((p) => ({ ars: p.row.ars, ...p.values })), 'import');
    return { dry_run: false, ...head, rows: planned.map((p) => p.row), written: creates.length, unchanged: unchangedRows(planned) };
  });
}
