import type { AllocationInputUnit } from './api.ts';

// Which units' capacities the coordinator is planning without: never reported (unknown) or
// reported long ago. Capacity reports are asked for monthly; three months without one means
// the numbers have very likely changed.
export const STALE_REPORT_DAYS = 90;

export type ReportStatus = 'unknown' | 'stale' | 'current';

export interface UnitReportStatus {
  key: string;
  name: string;
  status: ReportStatus;
  /** Unknown: since the unit came into the database; stale: the latest report's date. */
  since: string;
  /** Whole days from `since` to `today`. */
  days: number;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.max(0, Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY_MS));

export function reportStatus(unit: Pick<AllocationInputUnit, 'key' | 'name' | 'report_date' | 'known_since'>, today: string): UnitReportStatus {
  if (unit.report_date === null) {
    return { key: unit.key, name: unit.name, status: 'unknown', since: unit.known_since, days: daysBetween(unit.known_since, today) };
  }
  const days = daysBetween(unit.report_date, today);
  return { key: unit.key, name: unit.name, status: days > STALE_REPORT_DAYS ? 'stale' : 'current', since: unit.report_date, days };
}

/** Units without a current report, unknown ones first, then the oldest; `today` as YYYY-MM-DD. */
export function missingReports(units: readonly Pick<AllocationInputUnit, 'key' | 'name' | 'report_date' | 'known_since'>[], today: string): UnitReportStatus[] {
  const rank = { unknown: 0, stale: 1, current: 2 } as const;
  return units
    .map((u) => reportStatus(u, today))
    .filter((s) => s.status !== 'current')
    .sort((a, b) => rank[a.status] - rank[b.status] || b.days - a.days || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
