import { getJson, withQuery } from './client.ts';

export type DashboardLevel = 'land' | 'kreis' | 'verband' | 'gemeinde';

export interface CategoryStats {
  count: number;
  places_total: number;
  places_free: number;
}

export interface CapacityPoint {
  report_date: string;
  housing_free: number;
  refugees_housed: number;
  kita_free: number;
  school_free: number;
  language_course_free: number;
  intake_ytd: number;
  /** Every point of a series sums the same units: those of the region that reported at all. */
  units_reported: number;
  /** The units (Ämter, amtsfreie Gemeinden) the region has. */
  units_total: number;
  /** The oldest report carried forward into this point (each unit's latest on or before report_date). */
  oldest_report_date: string;
}

export type CapacityMetric = Exclude<keyof CapacityPoint, 'report_date' | 'units_reported' | 'units_total' | 'oldest_report_date'>;
export const CAPACITY_METRICS: readonly CapacityMetric[] = ['housing_free', 'refugees_housed', 'kita_free', 'school_free', 'language_course_free', 'intake_ytd'];

export interface DashboardRow {
  key: string;
  level: DashboardLevel;
  name: string;
  kind: string;
  parent_key: string | null;
  population: number | null;
  offers: Record<string, CategoryStats>;
  open_needs: number;
  capacity_history: CapacityPoint[];
}

export interface DashboardResponse {
  level: DashboardLevel;
  parent: string | null;
  rows: DashboardRow[];
}

export const getDashboard = (level: DashboardLevel, parent: string | null, signal?: AbortSignal) =>
  getJson<DashboardResponse>(withQuery('/api/dashboard', { level, parent }), signal);
