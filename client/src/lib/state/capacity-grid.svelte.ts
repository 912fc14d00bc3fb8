import {
  getCapacityUnits, importCapacity, saveCapacityBatch,
  type CapacityConflict, type CapacityImportResult, type CapacityUnit, type CapacityUnitReport,
} from '../api/capacity.ts';
import { ApiError, isAbort } from '../api/client.ts';
import type { FieldError } from '@ilk/core';
import {
  batchErrorCell, batchOf, COLUMNS, COUNT_FIELDS, draftOf, formatDate, isChanged, pastePlan, validateRow,
  type Cell, type CellError, type Column, type CountField, type RowDraft,
} from './capacity-grid.ts';

export type SaveOutcome = { kind: 'nothing' } | { kind: 'invalid'; cells: number } | { kind: 'saved'; count: number }
  | { kind: 'conflict' } | { kind: 'error'; message: string };

/** A conflict as shown: the unit and the report that is now its latest. */
export interface ShownConflict extends CapacityConflict {
  report: CapacityUnitReport | null;
}

const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * The capacity grid of one Kreis: the units as loaded, what the user typed per unit, and the one
 * batch save. A unit's draft survives reloads as long as the unit's version is the one it was
 * typed against; a unit changed elsewhere is reloaded with the server's values.
 */
export class CapacityGrid {
  kreis = $state<string | null>(null);
  kreisName = $state('');
  units = $state.raw<CapacityUnit[]>([]);
  drafts = $state<Record<string, RowDraft>>({});
  commonDate = $state(today());
  loading = $state(false);
  saving = $state(false);
  loadError = $state<string | null>(null);
  /** After a save was tried, empty required cells count as errors too (not while typing a row). */
  attempted = $state(false);
  /** Messages the server gave per unit and column (400), until the cell is edited. */
  serverErrors = $state<Record<string, Partial<Record<Column, string>>>>({});
  conflicts = $state.raw<ShownConflict[]>([]);
  #ctrl: AbortController | null = null;

  readonly changed = $derived(new Set(this.units.filter((u) => this.drafts[u.ars] && isChanged(u, this.drafts[u.ars]!)).map((u) => u.ars)));
  readonly errors = $derived(this.#errors());

  #errors(): Record<string, Partial<Record<Column, CellError>>> {
    const out: Record<string, Partial<Record<Column, CellError>>> = {};
    for (const u of this.units) {
      const draft = this.drafts[u.ars];
      if (!draft) continue;
      const e = validateRow(u, draft, this.commonDate);
      if (!this.attempted) for (const c of COLUMNS) if (e[c] === 'required') delete e[c];
      if (Object.keys(e).length) out[u.ars] = e;
    }
    return out;
  }

  readonly errorCount = $derived(Object.values(this.errors).reduce((n, e) => n + Object.keys(e).length, 0)
    + Object.values(this.serverErrors).reduce((n, e) => n + Object.keys(e).length, 0));

  async load(kreis: string, keepDrafts = false): Promise<void> {
    this.#ctrl?.abort();
    const ctrl = (this.#ctrl = new AbortController());
    if (kreis !== this.kreis) keepDrafts = false;
    this.kreis = kreis;
    this.loading = true;
    this.loadError = null;
    try {
      const data = await getCapacityUnits(kreis, ctrl.signal);
      const before = new Map(this.units.map((u) => [u.ars, u.version]));
      const drafts: Record<string, RowDraft> = {};
      for (const u of data.units) {
        const kept = keepDrafts ? this.drafts[u.ars] : undefined;
        drafts[u.ars] = kept && before.get(u.ars) === u.version ? kept : draftOf(u);
      }
      this.kreisName = data.kreis.name;
      this.units = data.units;
      this.drafts = drafts;
      if (!keepDrafts) {
        this.attempted = false;
        this.serverErrors = {};
        this.conflicts = [];
      }
    } catch (e) {
      if (!isAbort(e)) this.loadError = (e as Error).message;
    } finally {
      if (this.#ctrl === ctrl) this.loading = false;
    }
  }

  /** The text a cell shows: a count as typed, or the row's date (its own, or the common one once changed). */
  cellText(ars: string, col: Column): string {
    const d = this.drafts[ars];
    if (!d) return '';
    if (col !== 'report_date') return d.cells[col];
    if (d.date !== null) return d.date;
    return this.changed.has(ars) ? formatDate(this.commonDate) : '';
  }

  setCell(ars: string, col: Column, text: string): void {
    const d = this.drafts[ars];
    const unit = this.units.find((u) => u.ars === ars);
    if (!d || !unit) return;
    if (col === 'report_date') {
      // Clearing the date of a row whose values are unchanged takes the row back to unchanged.
      d.date = text.trim() === '' && !isChanged(unit, { ...d, date: null }) ? null : text;
    } else d.cells[col] = text;
    const server = this.serverErrors[ars];
    if (server?.[col]) delete server[col];
  }

  /** Fills a pasted block from `at` (row and column indices of the grid); returns cells placed and values left out. */
  paste(at: Cell, block: string[][]): { placed: number; outside: number } {
    const plan = pastePlan(block, at, this.units.length, COLUMNS.length);
    for (const c of plan.cells) this.setCell(this.units[c.row]!.ars, COLUMNS[c.col]!, c.text);
    return { placed: plan.cells.length, outside: plan.outside };
  }

  discard(): void {
    this.drafts = Object.fromEntries(this.units.map((u) => [u.ars, draftOf(u)]));
    this.attempted = false;
    this.serverErrors = {};
  }

  async save(): Promise<SaveOutcome> {
    const reports = batchOf(this.units, new Map(Object.entries(this.drafts)), this.commonDate);
    if (!reports.length) return { kind: 'nothing' };
    this.attempted = true;
    this.conflicts = [];
    if (this.errorCount) return { kind: 'invalid', cells: this.errorCount };
    this.saving = true;
    try {
      const res = await saveCapacityBatch(reports);
      await this.load(this.kreis!);
      return { kind: 'saved', count: res.written.length };
    } catch (e) {
      if (!(e instanceof ApiError)) return { kind: 'error', message: (e as Error).message };
      const problem = e.problem as typeof e.problem & { conflicts?: CapacityConflict[] };
      if (e.status === 412 && problem.conflicts?.length) {
        await this.load(this.kreis!, true);
        const byArs = new Map(this.units.map((u) => [u.ars, u]));
        this.conflicts = problem.conflicts.map((c) => ({ ...c, report: byArs.get(c.ars)?.report ?? null }));
        return { kind: 'conflict' };
      }
      if (e.fieldErrors.length && this.#markServerErrors(e.fieldErrors, reports.map((r) => r.ars))) return { kind: 'invalid', cells: this.errorCount };
      return { kind: 'error', message: e.message };
    } finally {
      this.saving = false;
    }
  }

  /** Places the server's field errors on the cells of the reports sent; false if none could be placed. */
  #markServerErrors(errors: FieldError[], sent: string[]): boolean {
    const next: Record<string, Partial<Record<Column, string>>> = {};
    let placed = 0;
    for (const fe of errors) {
      const cell = batchErrorCell(fe.field);
      const ars = cell ? sent[cell.index] : undefined;
      const col = (cell && (COLUMNS as readonly string[]).includes(cell.field) ? cell.field : null) as Column | null;
      if (!ars || !col) continue;
      (next[ars] ??= {})[col] = fe.message;
      placed++;
    }
    this.serverErrors = next;
    return placed > 0;
  }
}

/** The file import beside the grid: a dry run first, then the same file written. */
export class CapacityImport {
  file = $state.raw<File | null>(null);
  preview = $state.raw<CapacityImportResult | null>(null);
  errors = $state.raw<FieldError[]>([]);
  message = $state<string | null>(null);
  busy = $state(false);

  reset(): void {
    this.file = null;
    this.preview = null;
    this.errors = [];
    this.message = null;
  }

  /** Runs the dry run of `file`, or (without it) writes the file previewed; returns the result or null on failure. */
  async run(kreis: string, file: File | null, reportDate?: string): Promise<CapacityImportResult | null> {
    const f = file ?? this.file;
    if (!f) return null;
    this.busy = true;
    this.errors = [];
    this.message = null;
    if (file) {
      this.file = file;
      this.preview = null;
    }
    try {
      const result = await importCapacity(kreis, f, file !== null, reportDate || undefined);
      if (file) this.preview = result;
      else this.reset();
      return result;
    } catch (e) {
      this.preview = null;
      if (e instanceof ApiError) {
        this.errors = e.fieldErrors;
        this.message = e.status === 413 ? 'tooLarge' : e.status === 415 ? 'wrongType' : e.message;
      } else this.message = (e as Error).message;
      return null;
    } finally {
      this.busy = false;
    }
  }
}

export { COUNT_FIELDS, type CountField };
