import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';

/**
 * Runs one keyset page of a layer and returns it as a single row: the page's features joined
 * by commas, their count and the last key. `pageSql` selects `k` (the key) and `f` (a feature
 * as JSON text), ordered by k and limited. PGlite hands every result row to JavaScript on its
 * own, which for a page of 20,000 offers cost more than building them; one row per page costs
 * what the raw query that builds the whole layer in one string costs. max(k) is the last key
 * because the page is ordered by k under the same collation.
 */
export async function joinedPage(db: Queryable, pageSql: string, params: readonly unknown[]): Promise<LayerPage> {
  const { rows } = await db.query<LayerPage>(
    `SELECT coalesce(string_agg(p.f, ',' ORDER BY p.k), '') AS text, count(*)::int AS count, max(p.k) AS last FROM (${pageSql}) p`,
    params,
  );
  return rows[0]!;
}
