import type { Queryable } from '../db/index.ts';

export interface NeedImportRow {
  external_id: string;
  region_level: 'gemeinde' | 'verband' | 'kreis';
  region_ars: string;
  category: string | null;
  kind: 'angebotsluecke' | 'information' | 'fortbildung';
  title: string;
  description: string | null;
  priority: 'niedrig' | 'mittel' | 'hoch';
  status: 'neu' | 'in_bearbeitung' | 'erledigt';
  reported_by: string | null;
  created_at: string;
}

const UPSERT = `
  INSERT INTO needs AS n (external_id, region_id, category_key, kind, title, description, priority,
                          status, reported_by, created_at, updated_at)
  SELECT i.external_id, r.id, i.category, i.kind, i.title, i.description, i.priority, i.status,
         i.reported_by, i.created_at, i.created_at
    FROM json_to_recordset($1::json) AS i(external_id text, region_level text, region_ars text,
         category text, kind text, title text, description text, priority text, status text,
         reported_by text, created_at timestamptz)
    JOIN regions r ON r.level = i.region_level AND r.ars = i.region_ars
  ON CONFLICT (external_id) DO NOTHING
  RETURNING id`;

export async function importNeeds(db: Queryable, rows: readonly NeedImportRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return (await db.query(UPSERT, [JSON.stringify(rows)])).rowCount;
}
