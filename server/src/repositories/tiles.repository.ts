import type { Geometry } from 'geojson';
import type { Queryable } from '../db/index.ts';
import { encodeTile, type MvtValue } from '../services/mvt.ts';
import { CATEGORY_KEYS, OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { OFFER_FROM, OFFER_WHERE, afterFilter, filterParams, type OfferFilter } from './offer-layer.repository.ts';
import { regionPatterns } from './region-patterns.ts';
import { revisionSql } from './layer-revisions.repository.ts';

export const TILE_EXTENT = 4096;
// Features this far outside the tile (in tile units) are kept, so circles and outlines that
// cross a tile edge are drawn whole by the renderer.
export const TILE_BUFFER = 64;

export type TileLevel = 'kreis' | 'verband' | 'gemeinde';

// The tile in EPSG:3857, and the same tile plus buffer in EPSG:4326 for the filter: transform the
// envelope, not the column, so the GiST index on geom is used. Mercator maps the envelope's edges
// onto meridians and parallels, so the transformed box is exact. `z`, `x`, `y` name parameters.
const tileCte = (z: string, x: string, y: string) => `tile AS (
  SELECT ST_TileEnvelope(${z}, ${x}, ${y}) AS env,
         ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326) AS query)`;

// Web Mercator into tile space: 0..4096 from the tile's left and top edges, y pointing down.
const toTile = (geom: string) => `ST_Affine(ST_Transform(${geom}, 3857),
    ${TILE_EXTENT} / (ST_XMax(t.env) - ST_XMin(t.env)), 0, 0, ${-TILE_EXTENT} / (ST_YMax(t.env) - ST_YMin(t.env)),
    ${-TILE_EXTENT} * ST_XMin(t.env) / (ST_XMax(t.env) - ST_XMin(t.env)), ${TILE_EXTENT} * ST_YMax(t.env) / (ST_YMax(t.env) - ST_YMin(t.env)))`;

// What ST_AsMVTGeom does, spelled out so both backends draw the same geometry: snap to whole
// tile units, clip to the buffered tile, and orient exterior rings counter-clockwise in tile
// space (positive area, y down), which is the MVT rule for an exterior ring.
const polygonInTile = (geom: string) => `ST_ForcePolygonCCW(ST_CollectionExtract(ST_SnapToGrid(
    ST_ClipByBox2D(${toTile(geom)}, ST_MakeEnvelope(${-TILE_BUFFER}, ${-TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER})), 1), 3))`;

// Offer tiles take the offers layer's filter (offer-layer.repository.ts) and the tile address
// after it, so tiles and GeoJSON select the same offers by one definition.
const [Z, X, Y, REV] = [afterFilter(1), afterFilter(2), afterFilter(3), afterFilter(4)];
const OFFER_TILE = tileCte(Z, X, Y);
const OFFERS_IN_TILE = `${OFFER_FROM} CROSS JOIN tile t WHERE o.geom && t.query AND ${OFFER_WHERE}`;

// From OFFER_CLUSTER_MAX_ZOOM + 1 on (or with cluster=false): every offer by itself.
const OFFER_FEATURES = `
  f AS (SELECT o.id AS fid, o.id, o.category_key AS category, o.subcategory_key AS subcategory, o.name,
               o.places_free, o.barrier_free, ST_SnapToGrid(${toTile('o.geom')}, 1) AS geom
          FROM ${OFFERS_IN_TILE})`;

/** Cells per tile side: 512 tile units, 64 px on a map that draws tiles at 512 px. */
export const CLUSTER_CELLS = 8;

// Up to OFFER_CLUSTER_MAX_ZOOM: one feature per grid cell. The grid is global (CLUSTER_CELLS
// columns and rows per tile, counted from the world's top-left corner in Web Mercator), and a tile
// keeps only the cells it contains, so every offer is counted in exactly one cell of one tile:
// none in the buffer, none twice. Filters apply before counting. A cell with one offer is that
// offer; a cell with more is a cluster at the mean of its members' coordinates (inside the cell).
// Rows are found by comparing latitudes with the tile's row edges (computed from the global row
// number, so neighbouring tiles share each edge exactly): no projection per offer.
const OFFER_CLUSTERS = `
  grid AS (SELECT ${CLUSTER_CELLS} * 2 ^ ${Z} AS cells,
                  ARRAY(SELECT degrees(atan(sinh(pi() * (1 - 2 * j / (${CLUSTER_CELLS} * 2 ^ ${Z})))))
                          FROM generate_series((${Y} + 1) * ${CLUSTER_CELLS}, ${Y} * ${CLUSTER_CELLS}, -1) j) AS lat_edges),
  -- The tile's cells by column number and latitude bucket (1 = the bottom row). Joining the
  -- offers to them keeps the tile's own cells, and tells the planner that few groups follow.
  cell AS (SELECT k, ${X} * ${CLUSTER_CELLS} + k / ${CLUSTER_CELLS} AS ix, 1 + k % ${CLUSTER_CELLS} AS b FROM generate_series(0, ${CLUSTER_CELLS ** 2 - 1}) k),
  m AS (SELECT o.id, o.category_key, o.places_free, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat FROM ${OFFERS_IN_TILE}),
  c AS (SELECT cell.ix, cell.b, count(*)::int AS n, avg(m.lon) AS lon, avg(m.lat) AS lat, sum(m.places_free)::int AS places_free, min(m.id) AS first_id,
               ${CATEGORY_KEYS.map((k) => `count(*) FILTER (WHERE m.category_key = '${k}')::int AS "${k}"`).join(', ')}
          FROM m CROSS JOIN grid g
          JOIN cell ON cell.k = (floor((m.lon + 180) / 360 * g.cells)::bigint - ${X} * ${CLUSTER_CELLS}) * ${CLUSTER_CELLS} + width_bucket(m.lat, g.lat_edges) - 1
                   AND width_bucket(m.lat, g.lat_edges) BETWEEN 1 AND ${CLUSTER_CELLS}
         GROUP BY cell.k, cell.ix, cell.b),
  f AS (SELECT o.id AS fid, o.id, o.category_key AS category, o.subcategory_key AS subcategory, o.name,
               CASE WHEN c.n > 1 THEN true END AS cluster,
               CASE WHEN c.n > 1 THEN (((${Y} + 1) * ${CLUSTER_CELLS} - c.b) * (${CLUSTER_CELLS}::bigint << ${Z}) + c.ix) * 32 + ${Z} END AS cluster_id,
               CASE WHEN c.n > 1 THEN c.n END AS point_count, c.places_free, o.barrier_free,
               ${CATEGORY_KEYS.map((k) => `CASE WHEN c.n > 1 THEN nullif(c."${k}", 0) END AS count_${k}`).join(', ')},
               ST_MakePoint(round(((c.lon + 180) / 360 * 2 ^ ${Z} - ${X}) * ${TILE_EXTENT}),
                            round(((1 - ln(tan(radians(c.lat)) + 1 / cos(radians(c.lat))) / pi()) / 2 * 2 ^ ${Z} - ${Y}) * ${TILE_EXTENT})) AS geom
          FROM c LEFT JOIN offers o ON c.n = 1 AND o.id = c.first_id)`;

// ST_Intersects also uses the index, and drops polygons whose box alone reaches into the tile.
const REGION_FEATURES = `
  f AS (SELECT * FROM (
          SELECT r.ars::bigint AS fid, r.ars AS key, r.name, r.level, r.population, ${polygonInTile('r.geom')} AS geom
            FROM regions r, tile t WHERE r.level = $4 AND ($5::text[] IS NULL OR r.ars LIKE ANY($5))
             AND ST_Intersects(r.geom, t.query)) x
         WHERE NOT ST_IsEmpty(geom))`;
const REGION_TILE = tileCte('$1', '$2', '$3');

// Two ways to finish: ST_AsMVT where PostGIS has protobuf support (PostgreSQL), otherwise the
// features in tile-space GeoJSON, as one JSON array, that services/mvt.ts writes as protobuf (the
// embedded PGlite, which hands every result row to JavaScript on its own; one row is cheaper).
// Features without an id (clusters) have a NULL fid: ST_AsMVT then writes no id, nor does mvt.ts.
// Both also read the revisions of the tables the tile is made of, in the same statement and so
// the same snapshot: the route's ETag names exactly the data in the tile, without a round trip.
const asMvt = (ctes: string, layer: string, revision: string) => `WITH ${ctes}
  SELECT ST_AsMVT(f, '${layer}', ${TILE_EXTENT}, 'geom', 'fid') AS mvt, ${revision} AS revision FROM f`;
const asRows = (ctes: string, revision: string) => `WITH ${ctes}
  SELECT (SELECT coalesce(json_agg(json_build_object('fid', f.fid, 'properties', to_jsonb(f) - 'geom' - 'fid',
                                                     'geometry', ST_AsGeoJSON(f.geom, 0)::json) ORDER BY f.fid), '[]')
            FROM f) AS features, ${revision} AS revision`;
const both = (ctes: string, layer: string, revisionParam: string) => ({
  mvt: asMvt(ctes, layer, revisionSql(revisionParam)),
  rows: asRows(ctes, revisionSql(revisionParam)),
});

/** The tables an offer tile reads (the filters read providers and regions too), and a region tile. */
export const OFFER_TILE_LAYERS = ['offers', 'providers', 'regions'] as const;
export const REGION_TILE_LAYERS = ['regions'] as const;

const SQL = {
  offers: both(`${OFFER_TILE}, ${OFFER_FEATURES}`, 'offers', REV),
  offerClusters: both(`${OFFER_TILE}, ${OFFER_CLUSTERS}`, 'offers', REV),
  regions: both(`${REGION_TILE}, ${REGION_FEATURES}`, 'regions', '$6'),
};
type TileSql = keyof typeof SQL;

const mvtSupport = new WeakMap<Queryable, Promise<boolean>>();

/** Whether this database's PostGIS was built with protobuf-c, which ST_AsMVT needs. */
export function hasAsMvt(db: Queryable): Promise<boolean> {
  let known = mvtSupport.get(db);
  if (!known) {
    known = db.query<{ ok: boolean }>('SELECT postgis_libprotobuf_version() IS NOT NULL AS ok').then((r) => r.rows[0]?.ok === true);
    known.catch(() => mvtSupport.delete(db));
    mvtSupport.set(db, known);
  }
  return known;
}

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** A tile's bytes (empty: no feature) and the revision of the data it was made of (layerRevision's format). */
export interface Tile {
  bytes: Uint8Array;
  revision: string;
}

interface TileFeatureRow {
  fid: number | null;
  properties: Record<string, MvtValue>;
  geometry: Geometry;
}

async function tile(db: Queryable, sql: TileSql, params: unknown[], useAsMvt?: boolean): Promise<Tile> {
  if (useAsMvt ?? (await hasAsMvt(db))) {
    const row = (await db.query<{ mvt: Uint8Array | null; revision: string }>(SQL[sql].mvt, params)).rows[0]!;
    return { bytes: row.mvt ?? new Uint8Array(0), revision: row.revision };
  }
  const row = (await db.query<{ features: TileFeatureRow[]; revision: string }>(SQL[sql].rows, params)).rows[0]!;
  const features = row.features.map((r) => ({ id: r.fid === null ? undefined : Number(r.fid), properties: r.properties, geometry: r.geometry }));
  const layer = sql === 'regions' ? 'regions' : 'offers';
  return { bytes: encodeTile([{ name: layer, extent: TILE_EXTENT, features }]), revision: row.revision };
}

export interface OfferTileOptions {
  /** The offers layer's filter (bbox ignored: the tile is the bbox); none means every offer the caller may read. */
  filter?: OfferFilter;
  /** false: every offer by itself, whatever the zoom. */
  cluster?: boolean;
  /** Forces ST_AsMVT (true) or the Node encoder (false), for tests and benchmarks. */
  useAsMvt?: boolean;
}

const NO_FILTER: OfferFilter = { categories: null, subcategory: null, bbox: null, q: null, regionPrefix: null, withFreePlaces: false };

/** The offers tile as MVT bytes (empty when no offer lies in it): clusters up to OFFER_CLUSTER_MAX_ZOOM. */
export function offerTile(db: Queryable, t: TileAddress, options: OfferTileOptions = {}): Promise<Tile> {
  const filter = { ...(options.filter ?? NO_FILTER), bbox: null };
  const clustered = (options.cluster ?? true) && t.z <= OFFER_CLUSTER_MAX_ZOOM;
  return tile(db, clustered ? 'offerClusters' : 'offers', [...filterParams(filter), t.z, t.x, t.y, OFFER_TILE_LAYERS], options.useAsMvt);
}

/** The regions of one level in a tile as MVT bytes. */
export function regionTile(db: Queryable, t: TileAddress, level: TileLevel, useAsMvt?: boolean, districts: readonly string[] | null = null): Promise<Tile> {
  return tile(db, 'regions', [t.z, t.x, t.y, level, regionPatterns(null, districts), REGION_TILE_LAYERS], useAsMvt);
}
