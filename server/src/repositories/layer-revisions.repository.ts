import { prepared, type Queryable } from '../db/index.ts';

/**
 * The revision counters of the layers named by the text[] parameter `param`, as one string
 * ("offers12.regions3"): the basis of every layer ETag. Tile statements embed it, so a tile and
 * the revision of the data it was made of come from one snapshot.
 */
export const revisionSql = (param: string) =>
  `(SELECT coalesce(string_agg(layer || revision, '.' ORDER BY layer), '') FROM layer_revisions WHERE layer = ANY(${param}::text[]))`;

const REVISION = prepared('layer_revision', `SELECT ${revisionSql('$1')} AS revision`);

/** Reads the revision counters of the given layers: the basis of every layer ETag. */
export async function layerRevision(db: Queryable, layers: readonly string[]): Promise<string> {
  return (await db.query<{ revision: string }>(REVISION, [layers])).rows[0]!.revision;
}
