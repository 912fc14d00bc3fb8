import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import type { Database } from '../db/index.ts';
import * as meta from '../repositories/meta.repository.ts';
import * as regions from '../repositories/regions.repository.ts';
import * as providers from '../repositories/providers.repository.ts';
import * as offers from '../repositories/offers.repository.ts';
import * as capacity from '../repositories/capacity.repository.ts';
import * as needs from '../repositories/needs.repository.ts';
import { seedDemoNetworks } from './demo-networks.ts';

export const DEMO_SOURCE: meta.DataSource = {
  key: 'demo',
  name: 'Demo-Landkreis (fiktiv) / fictional demo district',
  attribution: 'Fiktive Demodaten der Integrationslandkarte (CC0)',
  licence: 'CC0 1.0',
  licence_url: 'https://creativecommons.org/publicdomain/zero/1.0/',
  reference_date: null,
};

type RegionProps = { level: regions.RegionLevel; ars: string; ags: string | null; name: string; kind: string; parent_ars: string | null; population: number | null; population_date: string | null };
type OfferProps = Omit<offers.OfferImportRow, 'lon' | 'lat'>;

const SEED_LOCK_KEY = 7342002;

const PARENT_LEVEL: Record<string, regions.RegionLevel | null> = { kreis: null, verband: 'kreis', gemeinde: 'verband', land: null };

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as T;
}

function regionRow(f: Feature<Geometry, RegionProps>): regions.RegionInput {
  const p = f.properties;
  return { ...p, parent_level: PARENT_LEVEL[p.level] ?? null, geometry: JSON.stringify(f.geometry) };
}

function offerRow(f: Feature<Point, OfferProps>): offers.OfferImportRow {
  const [lon, lat] = f.geometry.coordinates as [number, number];
  return { ...f.properties, lon, lat };
}

/**
 * Seeds the fictional demo district once: only into a database that has never been seeded and
 * holds no regions (a district imported from official data is never overwritten). One
 * transaction, so an interrupted first start leaves an empty database that seeds again.
 */
export async function seedDemoIfEmpty(db: Database, dir: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Several app replicas may start at once on one PostgreSQL: one seeds, the others wait and
    // then find the district there.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const seeded = await meta.getMeta(tx, 'demo_seeded_at');
    const counts = await regions.countByLevel(tx);
    if (seeded || Object.keys(counts).length > 0) return false;

    const [regionFc, providerRows, offerFc, reports, needRows, dataset] = await Promise.all([
      readJson<FeatureCollection<Geometry, RegionProps>>(dir, 'regions.geojson'),
      readJson<providers.ProviderImportRow[]>(dir, 'providers.json'),
      readJson<FeatureCollection<Point, OfferProps>>(dir, 'offers.geojson'),
      readJson<Parameters<typeof capacity.appendReportsByArs>[1]>(dir, 'capacity-reports.json'),
      readJson<needs.NeedImportRow[]>(dir, 'needs.json'),
      readJson<Record<string, unknown>>(dir, 'meta.json'),
    ]);

    await meta.upsertSource(tx, DEMO_SOURCE);
    // Parents before children: the upsert resolves parent_id by (level, ars).
    for (const level of ['kreis', 'verband', 'gemeinde'] as const) {
      const rows = regionFc.features.filter((f) => f.properties.level === level).map(regionRow);
      await regions.upsertRegions(tx, rows, 4326, DEMO_SOURCE.key);
    }
    await regions.refreshAggregates(tx);
    await providers.upsertProviders(tx, providerRows);
    await offers.upsertOffers(tx, offerFc.features.map(offerRow));
    await capacity.appendReportsByArs(tx, reports);
    await needs.importNeeds(tx, needRows);
    await seedDemoNetworks(tx);
    await meta.putMeta(tx, 'dataset', { ...dataset, demo: true });
    await meta.putMeta(tx, 'demo_seeded_at', new Date().toISOString());
    return true;
  });
}
