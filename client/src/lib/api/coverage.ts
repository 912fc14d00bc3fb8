import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { getJson, withQuery } from './client.ts';

export type CoverageLevel = 'gemeinde' | 'verband' | 'kreis' | 'land';

/** Per threshold: within_<km>km, the population share within reach (0..1, null without inhabitants). */
export type CoverageValues = Record<string, unknown> & { key: string; name: string | null; population: number | null };

interface CoverageTable {
  rows: CoverageValues[];
  /** The same figures over all Gemeinden of the rows. */
  total: CoverageValues | null;
}

type CoverageLayer = FeatureCollection<Polygon | MultiPolygon, CoverageValues>;

export interface WhiteSpotProperties {
  key: string;
  name: string;
  parent_key: string | null;
  population: number | null;
  distance_m: number | null;
  nearest_offer_id: number | null;
  label_point: [number, number];
}

export type WhiteSpotCollection = FeatureCollection<Polygon | MultiPolygon, WhiteSpotProperties>;
export type WhiteSpotFeature = Feature<Polygon | MultiPolygon, WhiteSpotProperties>;

/** Shares (0..1, null without inhabitants) by region key, and over all of them (tables only). */
export interface CoverageShares {
  shares: Map<string, number | null>;
  total: number | null;
}

/**
 * The share of the population within `km` of an offer of `category`, per region of `level`
 * below `parent`. Kreis and Land come as a table (with their total), Verband and Gemeinde as a
 * GeoJSON layer.
 */
export async function coverageShares(level: CoverageLevel, parent: string | null, category: string, km: number, signal?: AbortSignal): Promise<CoverageShares> {
  const url = withQuery('/api/coverage', { category, level, parent, thresholds: km });
  const field = `within_${km}km`;
  const share = (r: CoverageValues | null | undefined) => (r?.[field] as number | null | undefined) ?? null;
  if (level === 'kreis' || level === 'land') {
    const table = await getJson<CoverageTable>(url, signal);
    return { shares: new Map(table.rows.map((r) => [r.key, share(r)])), total: share(table.total) };
  }
  const layer = await getJson<CoverageLayer>(url, signal);
  return { shares: new Map(layer.features.map((f) => [f.properties.key, share(f.properties)])), total: null };
}

export const getWhiteSpots = (category: string, km: number, signal?: AbortSignal) =>
  getJson<WhiteSpotCollection>(withQuery('/api/coverage/white-spots', { category, threshold_km: km }), signal);

export const whiteSpotsCsvUrl = (category: string, km: number) => withQuery('/api/coverage/white-spots.csv', { category, threshold_km: km });
