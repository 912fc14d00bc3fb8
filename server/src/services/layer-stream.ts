import { Readable } from 'node:stream';

/**
 * One page of a layer as the database returns it (repositories/layer-page.ts): its features as
 * GeoJSON text built in SQL and joined by commas, how many there are, and the key to continue
 * after (null for an empty page).
 */
export interface LayerPage {
  text: string;
  count: number;
  last: string | number | null;
}

export type PageFetcher = (after: string | number | null, limit: number) => Promise<LayerPage>;

/**
 * The pages of a layer after `first`, reading one page ahead: as soon as a full page arrives the
 * next is requested, so on PostgreSQL the database builds page n+1 while Node writes page n to
 * the socket. At most one page is in flight, so memory stays bounded by two pages. A read-ahead
 * that fails after the consumer stopped (client gone) is dropped, not left unhandled.
 */
export async function* layerPages(first: LayerPage, fetchPage: PageFetcher, pageSize: number): AsyncGenerator<LayerPage> {
  let page = first;
  let next: Promise<LayerPage> | null = null;
  try {
    for (;;) {
      const full = page.count >= pageSize;
      next = full ? fetchPage(page.last, pageSize) : null;
      next?.catch(() => {});
      yield page;
      if (!next) return;
      page = await next;
      next = null;
    }
  } finally {
    next?.catch(() => {});
  }
}

/**
 * Streams a FeatureCollection page by page (keyset pagination: `WHERE key > $last ORDER BY key
 * LIMIT n`), so Node holds at most two pages at a time however large the layer: 100,000 offers
 * never become one giant string. Each page's JSON is made by PostgreSQL (ST_AsGeoJSON, joined
 * there); Node only writes the pieces. The first page is fetched before the response starts, so a database
 * error still becomes a proper problem+json instead of a truncated 200.
 */
export async function streamFeatureCollection(
  fetchPage: PageFetcher,
  opts: { pageSize?: number; header?: Record<string, unknown> } = {},
): Promise<Readable> {
  const pageSize = opts.pageSize ?? 2000;
  const first = await fetchPage(null, pageSize);
  const head = `{"type":"FeatureCollection",${opts.header ? `${JSON.stringify(opts.header).slice(1, -1)},` : ''}"features":[`;
  async function* chunks(): AsyncGenerator<string> {
    yield head;
    let sep = '';
    for await (const page of layerPages(first, fetchPage, pageSize)) {
      if (page.count === 0) continue;
      yield sep + page.text;
      sep = ',';
    }
    yield ']}';
  }
  return Readable.from(chunks(), { objectMode: false });
}
