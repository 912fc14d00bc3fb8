import { CAPACITY_FIELDS, type CapacityField } from '@ilk/core';
import type { Queryable } from '../db/index.ts';
import { regionPatterns } from './region-patterns.ts';

// The Ministry report's "changes since the previous reporting date", for the allocation units
// (Verbände) of a scope. The reporting date is the latest report date of any unit in the scope,
// the previous reporting date the latest one before it. Each unit counts with its latest report
// on or before a date (carried forward). The change compares only the units that had reported by
// the previous date, at both dates: a unit that reports for the first time adds its figures to
// the current state, not to the change, so a newly reporting Amt never reads as growth.

// Column names from the contract's list, never from a request.
const sums = (alias: string) => CAPACITY_FIELDS.map((f) => `'${f}', coalesce(sum(${alias}.${f}), 0)::int`).join(', ');

const CHANGES = `
  WITH units AS (
    SELECT id FROM regions WHERE level = 'verband' AND ($1::text[] IS NULL OR ars LIKE ANY($1))),
  reports AS (
    SELECT c.* FROM capacity_reports c JOIN units u ON u.id = c.region_id),
  d1 AS (SELECT max(report_date) AS day FROM reports),
  d0 AS (SELECT max(report_date) AS day FROM reports WHERE report_date < (SELECT day FROM d1)),
  now_ AS (
    SELECT DISTINCT ON (region_id) * FROM reports ORDER BY region_id, report_date DESC, id DESC),
  before_ AS (
    SELECT DISTINCT ON (region_id) * FROM reports WHERE report_date <= (SELECT day FROM d0)
     ORDER BY region_id, report_date DESC, id DESC)
  SELECT to_char((SELECT day FROM d1), 'YYYY-MM-DD') AS report_date,
         to_char((SELECT day FROM d0), 'YYYY-MM-DD') AS previous_date,
         (SELECT count(*) FROM units)::int AS units_total,
         (SELECT to_char(min(report_date), 'YYYY-MM-DD') FROM now_) AS oldest_report_date,
         (SELECT json_build_object('units', count(*)::int, ${sums('n')}) FROM now_ n) AS current,
         (SELECT json_build_object('units', count(*)::int, ${sums('b')}) FROM before_ b) AS before,
         (SELECT json_build_object('units', count(*)::int, ${sums('n')}) FROM now_ n JOIN before_ b USING (region_id)) AS after`;

export type CapacitySums = { units: number } & Record<CapacityField, number>;

export interface ReportChanges {
  report_date: string | null;
  previous_date: string | null;
  units_total: number;
  oldest_report_date: string | null;
  /** Every unit's latest report. */
  current: CapacitySums;
  /** The units that had reported by the previous date: their state then … */
  before: CapacitySums;
  /** … and the same units' state at the reporting date. */
  after: CapacitySums;
}

export async function reportChanges(db: Queryable, prefix: string | null, districts: readonly string[] | null): Promise<ReportChanges> {
  return (await db.query<ReportChanges>(CHANGES, [regionPatterns(prefix, districts)])).rows[0]!;
}
