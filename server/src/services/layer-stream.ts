import { Readable } from 'node:stream';
import type { Queryable } from '../db/index.ts';

/** One page of a layer: features as GeoJSON text built in SQL, and the key to continue after. */
export interface LayerPage {
  rows: { f: string; k: string | number }[];
}

/**
 * Streams a FeatureCollection page by page (keyset pagination: `WHERE key > $last ORDER BY key
 * LIMIT n`), so Node holds one page at a time however large the layer: 100,000 offers never
 * become one giant string. Each feature's JSON is made by PostgreSQL (ST_AsGeoJSON); Node only
 * joins the pieces. The first page is fetched before the response starts, so a database error
 * still becomes a proper problem+json instead of a truncated 200.
 */
export async function streamFeatureCollection(
  fetchPage: (after: string | number | null, limit: number) => Promise<LayerPage>,
  opts: { pageSize?: number; header?: Record<string, unknown> } = {},
): Promise<Readable> {
  const pageSize = opts.pageSize ?? 2000;
  const first = await fetchPage(null, pageSize);
  const head = `{"type":"FeatureCollection",${opts.header ? `${JSON.stringify(opts.header).slice(1, -1)},` : ''}"features":[`;
  async function* chunks(): AsyncGenerator<string> {
    yield head;
    let page = first;
    let sep = '';
    for (;;) {
      if (page.rows.length > 0) {
        yield sep + page.rows.map((r) => r.f).join(',');
        sep = ',';
      }
      if (page.rows.length < pageSize) break;
      page = await fetchPage(page.rows[page.rows.length - 1]!.k, pageSize);
    }
    yield ']}';
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Reads the revision counters of the given layers: the basis of every layer ETag. */
export async function layerRevision(db: Queryable, layers: readonly string[]): Promise<string> {
  const { rows } = await db.query<{ layer: string; revision: number }>(
    'SELECT layer, revision FROM layer_revisions WHERE layer = ANY($1::text[]) ORDER BY layer',
    [layers],
  );
  return rows.map((r) => `${r.layer}${r.revision}`).join('.');
}
