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
