import type { Queryable } from '../db/index.ts';

const HEALTH = `
  SELECT postgis_lib_version() AS postgis,
         coalesce((SELECT array_agg(name ORDER BY name) FROM schema_migrations), '{}') AS migrations`;

const SOURCES = `
  SELECT key, name, attribution, licence, licence_url, reference_date::text AS reference_date
    FROM data_sources ORDER BY key`;

// Each Kreis with the sources its regions carry (all levels, grouped by the Kreis part of the
// ARS in one pass) and its Land's name when the Land is loaded; $1 the Kreise to list | null.
const DISTRICTS = `
  WITH s AS (
    SELECT left(ars, 5) AS k5, array_agg(DISTINCT source_key ORDER BY source_key) AS sources
      FROM regions WHERE source_key IS NOT NULL GROUP BY 1)
  SELECT k.ars, k.name, k.source_key IS NOT DISTINCT FROM 'demo' AS demo, coalesce(s.sources, '{}') AS sources, l.name AS land_name
    FROM regions k LEFT JOIN s ON s.k5 = left(k.ars, 5) LEFT JOIN regions l ON l.id = k.parent_id AND l.level = 'land'
   WHERE k.level = 'kreis' AND ($1::text[] IS NULL OR k.ars = ANY($1))
   ORDER BY k.ars`;

const GET_META = 'SELECT value FROM app_meta WHERE key = $1';
const PUT_META = `
  INSERT INTO app_meta (key, value) VALUES ($1, $2)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;

const UPSERT_SOURCE = `
  INSERT INTO data_sources (key, name, attribution, licence, licence_url, reference_date)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, attribution = EXCLUDED.attribution,
    licence = EXCLUDED.licence, licence_url = EXCLUDED.licence_url, reference_date = EXCLUDED.reference_date,
    imported_at = now()
  WHERE (data_sources.name, data_sources.attribution, data_sources.licence, data_sources.licence_url, data_sources.reference_date)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.attribution, EXCLUDED.licence, EXCLUDED.licence_url, EXCLUDED.reference_date)`;

export interface DataSource {
  key: string;
  name: string;
  attribution: string;
  licence: string;
  licence_url: string | null;
  reference_date: string | null;
}

export interface DistrictFacts {
  ars: string;
  name: string;
  demo: boolean;
  sources: string[];
  land_name: string | null;
}

export async function listDistricts(db: Queryable, districts: readonly string[] | null): Promise<DistrictFacts[]> {
  return (await db.query<DistrictFacts>(DISTRICTS, [districts])).rows;
}

export async function health(db: Queryable): Promise<{ postgis: string; migrations: string[] }> {
  const { rows } = await db.query<{ postgis: string; migrations: string[] }>(HEALTH);
  return rows[0]!;
}

export async function listSources(db: Queryable): Promise<DataSource[]> {
  return (await db.query<DataSource>(SOURCES)).rows;
}

export async function upsertSource(db: Queryable, s: DataSource): Promise<void> {
  await db.query(UPSERT_SOURCE, [s.key, s.name, s.attribution, s.licence, s.licence_url, s.reference_date]);
}

export async function getMeta<T>(db: Queryable, key: string): Promise<T | undefined> {
  const { rows } = await db.query<{ value: T }>(GET_META, [key]);
  return rows[0]?.value;
}

export async function putMeta(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(PUT_META, [key, JSON.stringify(value)]);
}
