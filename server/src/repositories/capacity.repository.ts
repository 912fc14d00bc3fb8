import type { CapacityRowValues } from '@ilk/core/capacity-import';
import { CAPACITY_REPORT_KEYS } from '@ilk/core/fields/capacity';
import type { Queryable } from '../db/index.ts';

/** A report's counts and note as stored (the date comes beside it). */
export type CapacityReportInput = Omit<CapacityRowValues, 'report_date'>;

/** Appends reports keyed by the Verband's ARS (the demo seed's file); returns how many. */
export async function appendReportsByArs(
  db: Queryable,
  rows: readonly (CapacityReportInput & { verband_ars: string; report_date: string })[],
): Promise<number> {
  return (await appendMany(db, rows.map(({ verband_ars, ...r }) => ({ ...r, ars: verband_ars })))).length;
}

// The column lists below are checked against core/src/fields/capacity.ts by tests/unit/field-sql.test.ts.
export const HISTORY = `
  SELECT v.ars, v.name, coalesce(json_agg(json_build_object(
           'id', c.id, 'report_date', c.report_date, 'housing_free', c.housing_free,
           'housing_free_barrier_free', c.housing_free_barrier_free,
           'shared_accommodation_places', c.shared_accommodation_places, 'kita_free', c.kita_free,
           'school_free', c.school_free, 'language_course_free', c.language_course_free,
           'gp_accepting', c.gp_accepting, 'refugees_housed', c.refugees_housed, 'intake_ytd', c.intake_ytd,
           'note', c.note, 'created_at', c.created_at)
         ORDER BY c.report_date DESC, c.id DESC) FILTER (WHERE c.id IS NOT NULL), '[]') AS reports
    FROM regions v LEFT JOIN capacity_reports c ON c.region_id = v.id
   WHERE v.level = 'verband' AND v.ars = $1
   GROUP BY v.id`;

export interface CapacityHistory {
  ars: string;
  name: string;
  reports: (CapacityReportInput & { id: number; report_date: string; created_at: string })[];
}

/** The ETag of a unit's capacity: the newest report it has seen. */
export const capacityEtag = (ars: string, latestId: number) => `"capacity-${ars}-r${latestId}"`;

export async function history(db: Queryable, verbandArs: string): Promise<CapacityHistory | undefined> {
  return (await db.query<CapacityHistory>(HISTORY, [verbandArs])).rows[0];
}

export const APPEND_ONE = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free,
         shared_accommodation_places, kita_free, school_free, language_course_free, gp_accepting,
         refugees_housed, intake_ytd, note)
  SELECT v.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM regions v WHERE v.level = 'verband' AND v.ars = $1
  RETURNING id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
            school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd, note, created_at`;

export async function append(db: Queryable, verbandArs: string, r: CapacityReportInput & { report_date: string }): Promise<Record<string, unknown> | undefined> {
  // $2.. are the report's fields in the descriptors' order, as APPEND_ONE lists its columns.
  const report: Record<string, unknown> = r;
  const { rows } = await db.query(APPEND_ONE, [verbandArs, ...CAPACITY_REPORT_KEYS.map((k) => report[k] ?? null)]);
  return rows[0];
}

// Lock the unit's row first, then read its newest report in a second statement: under READ
// COMMITTED a statement that waited for the lock still reads with its old snapshot, so the
// check must come after the lock, or two writers would both see the same "newest" report.
const LOCK_UNIT = `SELECT v.id FROM regions v WHERE v.level = 'verband' AND v.ars = $1 FOR UPDATE`;
const LATEST = `SELECT coalesce(max(id), 0) AS latest_id FROM capacity_reports WHERE region_id = $1`;

/** The newest report id of a unit (0 when it has none), locking the unit; undefined if unknown. */
export async function lockLatest(db: Queryable, verbandArs: string): Promise<number | undefined> {
  const unit = (await db.query<{ id: number }>(LOCK_UNIT, [verbandArs])).rows[0];
  if (!unit) return undefined;
  return (await db.query<{ latest_id: number }>(LATEST, [unit.id])).rows[0]!.latest_id;
}

// --- Capacities in bulk ----------------------------------------------------------------------

export const REPORT_JSON = `json_build_object(
           'id', c.id, 'report_date', c.report_date, 'housing_free', c.housing_free,
           'housing_free_barrier_free', c.housing_free_barrier_free,
           'shared_accommodation_places', c.shared_accommodation_places, 'kita_free', c.kita_free,
           'school_free', c.school_free, 'language_course_free', c.language_course_free,
           'gp_accepting', c.gp_accepting, 'refugees_housed', c.refugees_housed, 'intake_ytd', c.intake_ytd,
           'note', c.note, 'created_at', c.created_at)`;

// Two notions of "latest": the report in force is the one with the latest report date (as
// planning and the map read it); the version is the highest id, the report entered last, which
// any new report changes (even one backdated), the same id lockLatest and the ETag follow.
const UNITS = `
  SELECT v.ars, v.name, v.kind, v.population,
         coalesce((SELECT max(x.id) FROM capacity_reports x WHERE x.region_id = v.id), 0) AS version,
         CASE WHEN c.id IS NULL THEN NULL ELSE ${REPORT_JSON} END AS report,
         (SELECT coalesce(json_agg(g.ags ORDER BY g.ags), '[]') FROM regions g
           WHERE g.parent_id = v.id AND g.level = 'gemeinde' AND g.ags IS NOT NULL) AS gemeinden
    FROM regions v
    LEFT JOIN LATERAL (SELECT * FROM capacity_reports x WHERE x.region_id = v.id ORDER BY x.report_date DESC, x.id DESC LIMIT 1) c ON true
   WHERE v.level = 'verband' AND ($1::text[] IS NULL OR left(v.ars, 5) = ANY($1::text[]))
   ORDER BY v.ars`;

const KREIS = `SELECT ars, name FROM regions WHERE level = 'kreis' AND ars = $1`;

export interface StoredReport extends CapacityReportInput {
  id: number;
  report_date: string;
  created_at: string;
}

export interface CapacityUnitRow {
  ars: string;
  name: string;
  kind: string;
  population: number | null;
  version: number;
  report: StoredReport | null;
  /** AGS of the unit's Gemeinden (for matching an import row by AGS). */
  gemeinden: string[];
}

/** The allocation units of the given Kreise (5-digit prefixes; null: all), with their latest report. */
export async function units(db: Queryable, kreisPrefixes: readonly string[] | null): Promise<CapacityUnitRow[]> {
  return (await db.query<CapacityUnitRow>(UNITS, [kreisPrefixes])).rows;
}

export async function kreis(db: Queryable, ars: string): Promise<{ ars: string; name: string } | undefined> {
  return (await db.query<{ ars: string; name: string }>(KREIS, [ars])).rows[0];
}

// Lock the units in one stable order (no deadlock between two batches), then read the newest
// report of each in a second statement, for the reason LOCK_UNIT gives.
const LOCK_UNITS = `SELECT v.id, v.ars, v.name FROM regions v WHERE v.level = 'verband' AND v.ars = ANY($1::text[]) ORDER BY v.id FOR UPDATE`;
const LATEST_OF = `
  SELECT r.id AS region_id, coalesce((SELECT max(c.id) FROM capacity_reports c WHERE c.region_id = r.id), 0) AS latest_id
    FROM unnest($1::bigint[]) AS r(id)`;

/** Locks the units and returns each one's version (newest report id, 0 if none) and name. */
export async function lockVersions(db: Queryable, ars: readonly string[]): Promise<Map<string, { name: string; version: number }>> {
  const { rows: locked } = await db.query<{ id: number; ars: string; name: string }>(LOCK_UNITS, [ars]);
  const { rows: latest } = await db.query<{ region_id: number; latest_id: number }>(LATEST_OF, [locked.map((u) => u.id)]);
  const byId = new Map(latest.map((l) => [Number(l.region_id), Number(l.latest_id)]));
  return new Map(locked.map((u) => [u.ars, { name: u.name, version: byId.get(Number(u.id)) ?? 0 }]));
}

// Reports are appended, never updated: the table's trigger refuses UPDATE.
export const APPEND_MANY = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free,
         shared_accommodation_places, kita_free, school_free, language_course_free, gp_accepting,
         refugees_housed, intake_ytd, note)
  SELECT r.id, i.report_date, i.housing_free, i.housing_free_barrier_free, i.shared_accommodation_places,
         i.kita_free, i.school_free, i.language_course_free, i.gp_accepting, i.refugees_housed,
         i.intake_ytd, i.note
    FROM json_to_recordset($1::json) AS i(ars text, report_date date, housing_free int,
         housing_free_barrier_free int, shared_accommodation_places int, kita_free int, school_free int,
         language_course_free int, gp_accepting int, refugees_housed int, intake_ytd int, note text)
    JOIN regions r ON r.level = 'verband' AND r.ars = i.ars
  RETURNING id, (SELECT ars FROM regions WHERE id = region_id) AS ars, report_date, housing_free,
            housing_free_barrier_free, shared_accommodation_places, kita_free, school_free,
            language_course_free, gp_accepting, refugees_housed, intake_ytd, note, created_at`;

/** Appends one report per row (each unit at most once); returns the stored reports with their ARS. */
export async function appendMany(
  db: Queryable,
  rows: readonly (CapacityReportInput & { ars: string; report_date: string })[],
): Promise<(StoredReport & { ars: string })[]> {
  if (rows.length === 0) return [];
  return (await db.query<StoredReport & { ars: string }>(APPEND_MANY, [JSON.stringify(rows)])).rows;
}
