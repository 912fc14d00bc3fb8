import type { CapacityReportInput } from '@ilk/core';
import { getJson, request, withQuery } from './client.ts';

// Capacity reports of all allocation units of a Kreis at once: the grid's data, one batch save
// with a version per unit (optimistic locking), and the CSV/XLSX import with its dry run.

export interface CapacityUnitReport extends Omit<CapacityReportInput, 'note'> {
  id: number;
  note: string | null;
  created_at: string;
}

export interface CapacityUnit {
  ars: string;
  name: string;
  kind: string;
  population: number | null;
  /** The id of the latest report, 0 when there is none; sent back with a change. */
  version: number;
  report: CapacityUnitReport | null;
}

export interface CapacityUnits {
  kreis: { ars: string; name: string };
  units: CapacityUnit[];
}

export type CapacityBatchReport = Omit<CapacityReportInput, 'note'> & { ars: string; version: number; note?: string | null };

export interface CapacityBatchResult {
  written: { ars: string; id: number; version: number }[];
}

/** A unit whose latest report is no longer the one the grid showed (412). */
export interface CapacityConflict {
  ars: string;
  name: string;
  expected: number;
  current: number;
  /** Who wrote the newer report and when, where the server says so. */
  by?: string | null;
  at?: string | null;
}

export interface CapacityImportRow {
  row: number;
  ars: string;
  name: string;
  action: 'create' | 'unchanged';
  changes: Record<string, { from: number | string | null; to: number | string | null }>;
}

export interface CapacityImportResult {
  dry_run: boolean;
  format: string;
  sheet?: string | null;
  ignored_sheets: string[];
  rows: CapacityImportRow[];
  written: number;
  /** Rows equal to their unit's report in force: not written. */
  unchanged: number;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const getCapacityUnits = (kreis: string, signal?: AbortSignal) =>
  getJson<CapacityUnits>(withQuery('/api/capacity/units', { kreis }), signal);

export async function saveCapacityBatch(reports: CapacityBatchReport[]): Promise<CapacityBatchResult> {
  return (await request<CapacityBatchResult>('POST', '/api/capacity/batch', { body: { reports } })).data;
}

/** The file's content type by its name: browsers leave File.type empty for .csv on some systems. */
export const importType = (file: File): string | null =>
  /\.xlsx$/i.test(file.name) ? XLSX_TYPE : /\.csv$/i.test(file.name) ? 'text/csv' : null;

/** `reportDate` is the date of rows that give none. */
export async function importCapacity(kreis: string, file: File, dryRun: boolean, reportDate?: string): Promise<CapacityImportResult> {
  const type = importType(file) ?? (file.type || 'application/octet-stream');
  const path = withQuery('/api/capacity/import', { kreis, dry_run: dryRun, report_date: reportDate });
  return (await request<CapacityImportResult>('POST', path, { raw: { body: file, type } })).data;
}
