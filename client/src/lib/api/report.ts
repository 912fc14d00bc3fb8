import type { ReportChanges } from '@ilk/core/schemas/report';
import { getJson, withQuery } from './client.ts';
import type { WhiteSpotCollection } from './coverage.ts';

export type { ReportChanges };

/** Capacity figures of the scope now, and the change since the previous reporting date. */
export const getReportChanges = (parent: string | null, signal?: AbortSignal) =>
  getJson<ReportChanges>(withQuery('/api/dashboard/report', { parent: parent ?? undefined }), signal);

/** The white spots of one category within a scope (all readable Kreise without `parent`). */
export const getScopedWhiteSpots = (category: string, km: number, parent: string | null, signal?: AbortSignal) =>
  getJson<WhiteSpotCollection>(withQuery('/api/coverage/white-spots', { category, threshold_km: km, parent: parent ?? undefined }), signal);
