import { Readable } from 'node:stream';
import { BOM, csvLine, type CsvValue, type CsvWriteOptions } from '@ilk/core/csv';
import { layerPages, type PageFetcher } from './layer-stream.ts';

/** A layer feature as the layer SQL builds it (parsed from one page row). */
export interface ExportFeature {
  id: unknown;
  geometry: { type: string; coordinates?: unknown } | null;
  properties: Record<string, unknown>;
}

export interface CsvColumn {
  name: string;
  value: (f: ExportFeature) => CsvValue;
}

/**
 * For German Excel, which opens such a file with a double click: semicolons, decimal commas,
 * and a BOM, without which Excel reads UTF-8 as Windows-1252 ("FÃ¶rde").
 */
export const CSV_EXPORT_FORMAT: CsvWriteOptions = { delimiter: ';', decimalComma: true };

/**
 * Streams a CSV page by page from the same keyset pages as the GeoJSON layer, so Node holds
 * at most two pages at a time (one read ahead). As in streamFeatureCollection, the first page is read before the
 * response starts: a database error is still a problem+json, not a truncated file.
 */
export async function streamCsv(
  fetchPage: PageFetcher,
  columns: readonly CsvColumn[],
  pageSize = 2000,
): Promise<Readable> {
  const first = await fetchPage(null, pageSize);
  const line = (f: ExportFeature) => csvLine(columns.map((c) => c.value(f)), CSV_EXPORT_FORMAT);
  async function* chunks(): AsyncGenerator<string> {
    yield BOM + csvLine(columns.map((c) => c.name), CSV_EXPORT_FORMAT);
    for await (const page of layerPages(first, fetchPage, pageSize)) {
      if (page.count > 0) yield (JSON.parse(`[${page.text}]`) as ExportFeature[]).map(line).join('');
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
