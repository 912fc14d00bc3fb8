import type { Queryable } from '../../server/src/db/index.ts';
import { CATEGORY_KEYS } from '@ilk/core';

// Many offers quickly: one ST_GeneratePoints call per inhabited Gemeinde (seeded, so every run
// makes the same points) rather than one per offer. The categories take turns; every seventh
// offer has no free places.
const GENERATE = `
  WITH g AS (SELECT geom, row_number() OVER (ORDER BY ars)::int AS k, count(*) OVER () AS m
               FROM regions WHERE level = 'gemeinde' AND population > 0),
       p AS (SELECT k, (ST_Dump(ST_GeneratePoints(geom, ceil($1::float8 / m)::int, k))).geom AS geom FROM g),
       n AS (SELECT geom, row_number() OVER (ORDER BY k) AS i FROM p)
  INSERT INTO offers (category_key, name, languages, places_total, places_free, geom)
  SELECT ($2::text[])[1 + i % cardinality($2::text[])], 'Generiertes Angebot ' || i, '{de}', 20, i % 7, geom
    FROM n WHERE i <= $1`;

/** Adds n generated offers inside the inhabited Gemeinden of the database's districts. */
export async function addGeneratedOffers(db: Queryable, n: number): Promise<void> {
  await db.query(GENERATE, [n, [...CATEGORY_KEYS]]);
}
