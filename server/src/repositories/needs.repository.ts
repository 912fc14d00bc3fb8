import type { Queryable } from '../db/index.ts';
import { regionPatterns } from './region-patterns.ts';
import { joinedPage } from './layer-page.ts';
import { featureText, jsonObject, type Member } from './json-sql.ts';
import type { LayerPage } from '../services/layer-stream.ts';

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

// The column lists below are checked against core/src/fields/need.ts by tests/unit/field-sql.test.ts.
export const UPSERT = `
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

// A need is drawn at its region's label point: needs belong to places, not addresses.
export const NEED_MEMBERS: readonly Member[] = [
  ['id', 'n.id'], ['external_id', 'n.external_id'], ['region_key', 'r.ars'],
  ['region_level', 'r.level'], ['region_name', 'r.name'], ['category', 'n.category_key'], ['kind', 'n.kind'], ['title', 'n.title'],
  ['description', 'n.description'], ['priority', 'n.priority'], ['status', 'n.status'], ['reported_by', 'n.reported_by'],
  ['created_at', 'n.created_at'], ['updated_at', 'n.updated_at'], ['version', 'n.version'],
];
/** GeoJSON text (json-sql.ts); cast it where a json value is wanted. */
export const NEED_FEATURE = featureText('n.id', 'ST_AsGeoJSON(r.label_point, 6)', jsonObject(NEED_MEMBERS));

export const NEED_WHERE = `
      ($1::text IS NULL OR n.status = $1)
  AND ($2::text IS NULL OR n.category_key = $2)
  AND ($3::text[] IS NULL OR r.ars LIKE ANY($3))`;

const PAGE = `
  SELECT n.id AS k, ${NEED_FEATURE}::text AS f FROM needs n JOIN regions r ON r.id = n.region_id
   WHERE ${NEED_WHERE} AND ($4::bigint IS NULL OR n.id > $4) ORDER BY n.id LIMIT $5`;

export interface NeedFilter {
  status: string | null;
  category: string | null;
  regionPrefix: string | null;
  /** Kreise the caller may read (null: all). */
  districts?: readonly string[] | null;
}

export function needPage(db: Queryable, f: NeedFilter) {
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, PAGE, [f.status, f.category, regionPatterns(f.regionPrefix, f.districts), after, limit]);
  };
}

type NeedFeature = { type: 'Feature'; id: number; geometry: unknown; properties: Record<string, unknown> & { version: number; region_key: string } };

const GET = `SELECT ${NEED_FEATURE}::json AS feature FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.id = $1`;

export const INSERT = `
  INSERT INTO needs (region_id, category_key, kind, title, description, priority, status, reported_by)
  SELECT r.id, $3, $4, $5, $6, $7, $8, $9 FROM regions r WHERE r.level = $1 AND r.ars = $2
  RETURNING id`;

export const UPDATE = `
  UPDATE needs n SET region_id = r.id, category_key = $3, kind = $4, title = $5, description = $6, priority = $7,
         status = $8, reported_by = $9, version = n.version + 1, updated_at = now()
    FROM regions r WHERE r.level = $1 AND r.ars = $2 AND n.id = $10 AND n.version = $11
  RETURNING n.id`;

export interface NeedWrite {
  region_level: string;
  region_ars: string;
  category: string | null;
  kind: string;
  title: string;
  description: string | null;
  priority: string;
  status: string;
  reported_by: string | null;
}

const params = (w: NeedWrite) => [w.region_level, w.region_ars, w.category, w.kind, w.title, w.description, w.priority, w.status, w.reported_by];

export async function get(db: Queryable, id: number): Promise<NeedFeature | undefined> {
  return (await db.query<{ feature: NeedFeature }>(GET, [id])).rows[0]?.feature;
}

/** Undefined when the region does not exist. */
export async function insert(db: Queryable, w: NeedWrite): Promise<number | undefined> {
  return (await db.query<{ id: number }>(INSERT, params(w))).rows[0]?.id;
}

export async function update(db: Queryable, id: number, version: number, w: NeedWrite): Promise<boolean> {
  return (await db.query(UPDATE, [...params(w), id, version])).rowCount === 1;
}

export async function remove(db: Queryable, id: number, version: number): Promise<boolean> {
  return (await db.query('DELETE FROM needs WHERE id = $1 AND version = $2', [id, version])).rowCount === 1;
}

export async function regionExists(db: Queryable, level: string, ars: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM regions WHERE level = $1 AND ars = $2', [level, ars])).rows.length === 1;
}
