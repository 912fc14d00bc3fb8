import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Role } from '@ilk/core';
import { BOM, csvLine, type CsvValue } from '@ilk/core/csv';
import type { Queryable } from '../db/index.ts';
import * as plans from '../repositories/allocation-plans.repository.ts';
import { CSV_EXPORT_FORMAT } from './csv-stream.ts';
import { getPlan } from './allocation-plans.service.ts';

// Statistical confidentiality for household plans: a unit that received one or two households
// would let a reader recognise the families. Roles that do not run the allocation (ministry,
// analyst) see such cells as "<3" (CSV, sheet) or null (GeoJSON). See docs/allocation.md.
export const MIN_PUBLISHED_HOUSEHOLDS = 3;
const SEES_SMALL_COUNTS: readonly Role[] = ['admin', 'coordinator'];
export const SUPPRESSED = '<3';

export interface ExportUnit {
  key: string;
  name: string;
  population: number | null;
  /** Intake the legal key credited: prior intake plus credited shared-accommodation places. */
  credited_intake: number | null;
  legal_quota: number;
  legal_seats: number;
  /** Household mode only. */
  households?: number | null;
  seats: number | null;
  deviation_persons: number | null;
  deviation_percent: number | null;
  suppressed: boolean;
}

interface PlanUnit {
  key: string;
  name: string;
  legal_quota: number;
  legal_seats: number;
  households?: number;
  seats: number;
  deviation_persons: number;
  deviation_percent: number | null;
}

export type PlanView = Awaited<ReturnType<typeof getPlan>>;

/**
 * Units to withhold: every unit with 1 or 2 households; and, since the plan's totals are
 * known, when that is a single unit also the unit with the next fewest households (else the
 * withheld count would follow by subtraction).
 */
export function suppressedUnits(units: readonly { key: string; households: number }[]): Set<string> {
  const small = (h: number) => h > 0 && h < MIN_PUBLISHED_HOUSEHOLDS;
  const primary = new Set(units.filter((u) => small(u.households)).map((u) => u.key));
  if (primary.size !== 1) return primary;
  const next = units
    .filter((u) => u.households > 0 && !primary.has(u.key))
    .sort((a, b) => a.households - b.households || (a.key < b.key ? -1 : 1))[0];
  if (next) primary.add(next.key);
  return primary;
}

/** The plan's units for an export, with small household counts withheld where the role requires. */
export function exportUnits(plan: PlanView, role: Role): ExportUnit[] {
  const units = (plan.result as { units: PlanUnit[] }).units;
  const population = new Map(((plan.inputs.units ?? []) as { key: string; population: number }[]).map((u) => [u.key, u.population]));
  const legal = (plan.inputs.legal_key ?? { units: [] }) as { units: { key: string; credited_intake: number }[] };
  const credited = new Map(legal.units.map((u) => [u.key, u.credited_intake]));
  const households = plan.mode === 'households';
  const hidden = households && !SEES_SMALL_COUNTS.includes(role)
    ? suppressedUnits(units.map((u) => ({ key: u.key, households: u.households ?? 0 })))
    : new Set<string>();
  return units.map((u) => {
    const suppressed = hidden.has(u.key);
    const hide = <T>(value: T) => (suppressed ? null : value);
    return {
      key: u.key,
      name: u.name,
      population: population.get(u.key) ?? null,
      credited_intake: credited.get(u.key) ?? null,
      legal_quota: Math.round(u.legal_quota * 1000) / 1000,
      legal_seats: u.legal_seats,
      ...(households ? { households: hide(u.households ?? 0) } : {}),
      seats: hide(u.seats),
      deviation_persons: hide(u.deviation_persons),
      deviation_percent: hide(u.deviation_percent === null ? null : Math.round(u.deviation_percent * 10) / 10),
      suppressed,
    };
  });
}

const COLUMNS = ['key', 'name', 'population', 'credited_intake', 'legal_quota', 'legal_seats', 'households', 'seats', 'deviation_persons', 'deviation_percent'] as const;

export function planCsv(plan: PlanView, units: readonly ExportUnit[]): string {
  const columns = COLUMNS.filter((c) => c !== 'households' || plan.mode === 'households');
  const cell = (u: ExportUnit, c: (typeof COLUMNS)[number]): CsvValue => {
    const value = u[c];
    const withheld = u.suppressed && ['households', 'seats', 'deviation_persons', 'deviation_percent'].includes(c);
    return withheld ? SUPPRESSED : (value as CsvValue);
  };
  return BOM + csvLine(columns, CSV_EXPORT_FORMAT) + units.map((u) => csvLine(columns.map((c) => cell(u, c)), CSV_EXPORT_FORMAT)).join('');
}

export async function planGeoJson(db: Queryable, plan: PlanView, units: readonly ExportUnit[]): Promise<FeatureCollection<Geometry | null>> {
  const geometries = new Map((await plans.unitGeometries(db, units.map((u) => u.key))).map((g) => [g.key, g.geometry as Geometry]));
  const features: Feature<Geometry | null>[] = units.map((u) => ({
    type: 'Feature',
    id: u.key,
    geometry: geometries.get(u.key) ?? null,
    properties: { ...u, plan_id: plan.id, plan_status: plan.status },
  }));
  return { type: 'FeatureCollection', features };
}
