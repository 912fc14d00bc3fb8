import { withQuery } from './client.ts';
import { offerQuery, type OfferFilter } from './offers.ts';
import type { RegionLevel } from './regions.ts';

export type ExportFormat = 'geojson' | 'csv';

// Downloads are plain links (the browser sends the session cookie), so they work without
// JavaScript handling and open in any GIS or spreadsheet directly.
export const offersExportUrl = (format: ExportFormat, f: OfferFilter) =>
  withQuery(`/api/export/offers.${format}`, offerQuery(f));

export const needsExportUrl = (format: ExportFormat, status?: string) =>
  withQuery(`/api/export/needs.${format}`, { status });

export const regionsExportUrl = (format: ExportFormat, level: RegionLevel) =>
  withQuery(`/api/export/regions.${format}`, { level });
