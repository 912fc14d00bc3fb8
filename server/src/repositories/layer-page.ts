import type { Database, Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';

/**
 * Runs one keyset page of a layer: its features joined by commas, their count and the last key.
 * `pageSql` selects `k` (the key) and `f` (a feature as JSON text), ordered by k and limited.
 *
 * PGlite hands every result row to JavaScript on its own, which for a page of 20,000 offers cost
 * more than building them, so there the database joins the page into one row (max(k) is the last
 * key: the page is ordered by k under the same collation). PostgreSQL streams rows while it builds
 * them, and the pg driver reads them cheaply: there the rows are joined in Node, which measured
 * 10-15 % faster than string_agg (scripts/bench/layers.ts).
 */
export async function joinedPage(db: Queryable | Database, pageSql: string, params: readonly unknown[]): Promise<LayerPage> {
  if ('kind' in db && db.kind === 'postgres') {
    const { rows } = await db.query<{ k: string | number; f: string }>(pageSql, params);
    return { text: rows.map((r) => r.f).join(','), count: rows.length, last: rows.at(-1)?.k ?? null };
  }
  const { rows } = await db.query<LayerPage>(
    `SELECT coalesce(string_agg(p.f, ',' ORDER BY p.k), '') AS text, count(*)::int AS count, max(p.k) AS last FROM (${pageSql}) p`,
    params,
  );
  return rows[0]!;
}
