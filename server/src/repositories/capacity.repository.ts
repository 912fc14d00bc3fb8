import type { Queryable } from '../db/index.ts';

export interface CapacityReportInput {
  housing_free: number;
  housing_free_barrier_free: number;
  shared_accommodation_places: number;
  kita_free: number;
  school_free: number;
  language_course_free: number;
  gp_accepting: number;
  refugees_housed: number;
  intake_ytd: number;
  note: string | null;
}

// Reports are appended, never updated: the table's trigger refuses UPDATE.
const APPEND_BY_ARS = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free,
         shared_accommodation_places, kita_free, school_free, language_course_free, gp_accepting,
         refugees_housed, intake_ytd, note)
  SELECT r.id, i.report_date, i.housing_free, i.housing_free_barrier_free, i.shared_accommodation_places,
         i.kita_free, i.school_free, i.language_course_free, i.gp_accepting, i.refugees_housed,
         i.intake_ytd, i.note
    FROM json_to_recordset($1::json) AS i(verband_ars text, report_date date, housing_free int,
         housing_free_barrier_free int, shared_accommodation_places int, kita_free int, school_free int,
         language_course_free int, gp_accepting int, refugees_housed int, intake_ytd int, note text)
    JOIN regions r ON r.level = 'verband' AND r.ars = i.verband_ars
  RETURNING id`;

export async function appendReportsByArs(
  db: Queryable,
  rows: readonly (CapacityReportInput & { verband_ars: string; report_date: string })[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return (await db.query(APPEND_BY_ARS, [JSON.stringify(rows)])).rowCount;
}

const HISTORY = `
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

const APPEND_ONE = `
  INSERT INTO capacity_reports (region_id, report_date, housing_free, housing_free_barrier_free,
         shared_accommodation_places, kita_free, school_free, language_course_free, gp_accepting,
         refugees_housed, intake_ytd, note)
  SELECT v.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM regions v WHERE v.level = 'verband' AND v.ars = $1
  RETURNING id, report_date, housing_free, housing_free_barrier_free, shared_accommodation_places, kita_free,
            school_free, language_course_free, gp_accepting, refugees_housed, intake_ytd, note, created_at`;

export async function append(db: Queryable, verbandArs: string, r: CapacityReportInput & { report_date: string }): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query(APPEND_ONE, [
    verbandArs, r.report_date, r.housing_free, r.housing_free_barrier_free, r.shared_accommodation_places, r.kita_free,
    r.school_free, r.language_course_free, r.gp_accepting, r.refugees_housed, r.intake_ytd, r.note,
  ]);
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
