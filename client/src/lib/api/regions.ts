import type { FeatureCollection, Feature, MultiPolygon, Polygon } from 'geojson';
import type { CapacityReportInput } from '@ilk/core';
import { getJson, request, withQuery } from './client.ts';

export type RegionLevel = 'kreis' | 'verband' | 'gemeinde';

export type CapacityValues = Omit<CapacityReportInput, 'note' | 'report_date'>;

export interface CapacitySnapshot extends CapacityValues {
  report_date: string;
}

export interface CapacityReport extends CapacitySnapshot {
  id: number;
  note: string | null;
  created_at: string;
}

export interface RegionProperties {
  key: string;
  level: RegionLevel;
  ags: string | null;
  name: string;
  kind: string;
  parent_key: string | null;
  population: number | null;
  population_date: string | null;
  area_km2: number | null;
  label_point: [number, number];
  capacity: CapacitySnapshot | null;
  refugees_per_1000: number | null;
  housing_free_per_1000: number | null;
  offers_total: number;
  offers_by_category: Record<string, number>;
  open_needs: number;
}

export type RegionFeature = Feature<Polygon | MultiPolygon, RegionProperties>;
export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProperties>;

export interface CapacityHistory {
  ars: string;
  name: string;
  reports: CapacityReport[];
}

export const getRegions = (level: RegionLevel, signal?: AbortSignal, parent?: string) =>
  getJson<RegionCollection>(withQuery('/api/regions', { level, parent }), signal);

export const getCapacityHistory = (ars: string, signal?: AbortSignal) =>
  getJson<CapacityHistory>(`/api/regions/${encodeURIComponent(ars)}/capacity`, signal);

export async function appendCapacityReport(ars: string, input: CapacityReportInput): Promise<CapacityReport> {
  return (await request<CapacityReport>('POST', `/api/regions/${encodeURIComponent(ars)}/capacity`, { body: input })).data;
}
