import type { Database, Queryable } from '../db/index.ts';
import * as demo from '../repositories/demo.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { DEMO_ACCOUNTS } from '../seed/accounts.ts';

/** What a removal deleted (or, rolled back in a dry run, would delete). */
export interface DemoRemoval {
  kreise: string[];
  regions: { kreis: number; verband: number; gemeinde: number; land: number };
  offers: number;
  providers: number;
  needs: number;
  need_events: number;
  capacity_reports: number;
  allocation_plans: number;
  allocation_intakes: number;
  networks: number;
  user_districts: number;
  users: number;
  sessions: number;
  api_tokens: number;
  data_sources: number;
  dataset_facts: number;
}

/** True when the database holds the fictional demo district (any of its regions). */
export async function holdsDemo(db: Queryable): Promise<boolean> {
  return (await demo.countRegions(db)) > 0;
}

export function removedNothing(r: DemoRemoval): boolean {
  return Object.entries(r).every(([k, v]) => (k === 'kreise' ? (v as string[]).length === 0
    : k === 'regions' ? Object.values(v as Record<string, number>).every((n) => n === 0) : v === 0));
}

/**
 * Deletes the demo district and everything hanging on it, inside the caller's transaction (the
 * import's, or removeDemo's own), and records one audit entry with the counts. Nothing of
 * another district is touched: every statement selects by the demo's regions, its providers
 * (only those without offers elsewhere) or the demo accounts' e-mail addresses.
 */
export async function removeDemoIn(tx: Queryable, actor: string): Promise<DemoRemoval> {
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  const kreise = await demo.kreisArs(tx);
  await demo.announceRemoval(tx);
  const allocation_intakes = await demo.deleteIntakes(tx);
  const allocation_plans = await demo.deletePlans(tx);
  const need_events = await demo.countNeedEvents(tx);
  const needs = await demo.deleteNeeds(tx);
  const capacity_reports = await demo.deleteCapacityReports(tx);
  const networks = await demo.deleteNetworks(tx);
  // The providers are chosen while their offers still tell where they work.
  const providerIds = await demo.providerIds(tx);
  const offers = await demo.deleteOffers(tx);
  const providers = await demo.deleteProviders(tx, providerIds);
  const user_districts = await demo.deleteUserDistricts(tx);
  const { sessions, api_tokens } = await demo.countUserRows(tx, emails);
  const users = await demo.deleteUsers(tx, emails);
  const regions = { gemeinde: 0, verband: 0, kreis: 0, land: 0 };
  for (const level of ['gemeinde', 'verband', 'kreis', 'land'] as const) regions[level] = await demo.deleteRegionsOfLevel(tx, level);
  const data_sources = await demo.deleteSource(tx);
  const dataset_facts = await demo.deleteDataset(tx);
  const removal: DemoRemoval = {
    kreise, regions, offers, providers, needs, need_events, capacity_reports, allocation_plans, allocation_intakes,
    networks, user_districts, users, sessions, api_tokens, data_sources, dataset_facts,
  };
  if (!removedNothing(removal)) {
    await audit.record(tx, { user_id: null, actor, action: 'delete', entity: 'demo_district', entity_id: kreise.join(',') || null, after: removal });
  }
  return removal;
}

/** The removal in its own transaction (npm run demo:remove). Running it again removes nothing. */
export function removeDemo(db: Database, actor: string): Promise<DemoRemoval> {
  return db.transaction((tx) => removeDemoIn(tx, actor));
}
