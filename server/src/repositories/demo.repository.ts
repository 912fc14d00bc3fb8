import type { Queryable } from '../db/index.ts';

// Everything of the fictional demo district, found from its regions (regions.source_key =
// 'demo', every level). Each statement deletes one kind of row and returns how many went; the
// order is the service's (server/src/services/demo.service.ts), children before parents.
export const DEMO_SOURCE_KEY = 'demo';

const DEMO_REGIONS = `SELECT id FROM regions WHERE source_key = '${DEMO_SOURCE_KEY}'`;
const DEMO_KREISE = `SELECT id FROM regions WHERE source_key = '${DEMO_SOURCE_KEY}' AND level = 'kreis'`;

const COUNT_REGIONS = `SELECT count(*)::int AS n FROM regions WHERE source_key = '${DEMO_SOURCE_KEY}'`;

/** Lets allocation_plans_decided_final (008) admit deleting the demo's decided plans, for this transaction only. */
const ANNOUNCE = "SELECT set_config('ilk.demo_removal', 'on', true)";

// Intakes of the demo's plans, and any intake booked on a demo unit.
const DELETE_INTAKES = `
  DELETE FROM allocation_intakes
   WHERE plan_id IN (SELECT id FROM allocation_plans WHERE kreis_id IN (${DEMO_KREISE}))
      OR unit_id IN (${DEMO_REGIONS})`;
const DELETE_PLANS = `DELETE FROM allocation_plans WHERE kreis_id IN (${DEMO_REGIONS})`;
const COUNT_NEED_EVENTS = `
  SELECT count(*)::int AS n FROM need_events WHERE need_id IN (SELECT id FROM needs WHERE region_id IN (${DEMO_REGIONS}))`;
// need_events go with their needs (ON DELETE CASCADE).
const DELETE_NEEDS = `DELETE FROM needs WHERE region_id IN (${DEMO_REGIONS})`;
const DELETE_CAPACITY = `DELETE FROM capacity_reports WHERE region_id IN (${DEMO_REGIONS})`;
// network_members go with their networks (ON DELETE CASCADE).
const DELETE_NETWORKS = `DELETE FROM networks WHERE region_id IN (${DEMO_REGIONS})`;

// Providers have no region: a provider is the demo's when its offers lie in the demo only, or
// when it has no offer at all and carries an id from the demo seed's namespace
// (scripts/generate-demo-data.ts names them demo-provider-NNN). A provider with offers in real
// regions as well stays; only its demo offers go.
const DEMO_PROVIDERS = `
  SELECT p.id FROM providers p
   WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.provider_id = p.id
                      AND (o.region_id IS NULL OR o.region_id NOT IN (${DEMO_REGIONS})))
     AND (EXISTS (SELECT 1 FROM offers o WHERE o.provider_id = p.id)
          OR p.external_id LIKE 'demo-provider-%')
   ORDER BY p.id`;
const DELETE_OFFERS = `DELETE FROM offers WHERE region_id IN (${DEMO_REGIONS})`;
const DELETE_PROVIDERS = 'DELETE FROM providers WHERE id = ANY($1::bigint[])';

const DELETE_USER_DISTRICTS = `DELETE FROM user_districts WHERE region_id IN (${DEMO_REGIONS})`;
const COUNT_USER_ROWS = `
  SELECT (SELECT count(*)::int FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ANY($1)) AS sessions,
         (SELECT count(*)::int FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ANY($1)) AS api_tokens`;
// Sessions, tokens and district rows go with the user (ON DELETE CASCADE); audit entries keep
// their actor and lose only user_id (008 admits exactly that).
const DELETE_USERS = 'DELETE FROM users WHERE email = ANY($1)';

// parent_id is ON DELETE RESTRICT: one level at a time, children first.
const DELETE_REGIONS_OF_LEVEL = `DELETE FROM regions WHERE source_key = '${DEMO_SOURCE_KEY}' AND level = $1`;
const DELETE_SOURCE = `DELETE FROM data_sources WHERE key = '${DEMO_SOURCE_KEY}'`;
// The dataset facts the demo seed wrote; demo_seeded_at stays, so the demo is never seeded again.
const DELETE_DATASET = "DELETE FROM app_meta WHERE key = 'dataset' AND value ->> 'demo' = 'true'";

const DEMO_KREIS_ARS = `SELECT ars FROM regions WHERE source_key = '${DEMO_SOURCE_KEY}' AND level = 'kreis' ORDER BY ars`;

const count = async (db: Queryable, sql: string, params: unknown[] = []) => (await db.query(sql, params)).rowCount;

export async function countRegions(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>(COUNT_REGIONS)).rows[0]?.n ?? 0;
}

export async function kreisArs(db: Queryable): Promise<string[]> {
  return (await db.query<{ ars: string }>(DEMO_KREIS_ARS)).rows.map((r) => r.ars);
}

export async function announceRemoval(db: Queryable): Promise<void> {
  await db.query(ANNOUNCE);
}

export const deleteIntakes = (db: Queryable) => count(db, DELETE_INTAKES);
export const deletePlans = (db: Queryable) => count(db, DELETE_PLANS);
export const deleteNeeds = (db: Queryable) => count(db, DELETE_NEEDS);
export const deleteCapacityReports = (db: Queryable) => count(db, DELETE_CAPACITY);
export const deleteNetworks = (db: Queryable) => count(db, DELETE_NETWORKS);
export const deleteOffers = (db: Queryable) => count(db, DELETE_OFFERS);
export const deleteUserDistricts = (db: Queryable) => count(db, DELETE_USER_DISTRICTS);
export const deleteUsers = (db: Queryable, emails: readonly string[]) => count(db, DELETE_USERS, [emails]);
export const deleteRegionsOfLevel = (db: Queryable, level: string) => count(db, DELETE_REGIONS_OF_LEVEL, [level]);
export const deleteSource = (db: Queryable) => count(db, DELETE_SOURCE);
export const deleteDataset = (db: Queryable) => count(db, DELETE_DATASET);

export async function countNeedEvents(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>(COUNT_NEED_EVENTS)).rows[0]?.n ?? 0;
}

export async function providerIds(db: Queryable): Promise<number[]> {
  return (await db.query<{ id: string | number }>(DEMO_PROVIDERS)).rows.map((r) => Number(r.id));
}

export const deleteProviders = (db: Queryable, ids: readonly number[]) => count(db, DELETE_PROVIDERS, [ids]);

export async function countUserRows(db: Queryable, emails: readonly string[]): Promise<{ sessions: number; api_tokens: number }> {
  return (await db.query<{ sessions: number; api_tokens: number }>(COUNT_USER_ROWS, [emails])).rows[0]!;
}
