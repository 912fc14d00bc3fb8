import type { Geometry } from 'geojson';
import type { Queryable } from '../db/index.ts';
import { encodeTile, type MvtValue } from '../services/mvt.ts';
import { regionPatterns } from './region-patterns.ts';

export const TILE_EXTENT = 4096;
// Features this far outside the tile (in tile units) are kept, so circles and outlines that
// cross a tile edge are drawn whole by the renderer.
export const TILE_BUFFER = 64;

export type TileLevel = 'kreis' | 'verband' | 'gemeinde';

// The tile in EPSG:3857, and the same tile plus buffer in EPSG:4326 for the filter: transform the
// envelope, not the column, so the GiST index on geom is used. Mercator maps the envelope's edges
// onto meridians and parallels, so the transformed box is exact.
const TILE = `tile AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS env,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326) AS query)`;

// Web Mercator into tile space: 0..4096 from the tile's left and top edges, y pointing down.
const toTile = (geom: string) => `ST_Affine(ST_Transform(${geom}, 3857),
    ${TILE_EXTENT} / (ST_XMax(t.env) - ST_XMin(t.env)), 0, 0, ${-TILE_EXTENT} / (ST_YMax(t.env) - ST_YMin(t.env)),
    ${-TILE_EXTENT} * ST_XMin(t.env) / (ST_XMax(t.env) - ST_XMin(t.env)), ${TILE_EXTENT} * ST_YMax(t.env) / (ST_YMax(t.env) - ST_YMin(t.env)))`;

// What ST_AsMVTGeom does, spelled out so both backends draw the same geometry: snap to whole
// tile units, clip to the buffered tile, and orient exterior rings counter-clockwise in tile
// space (positive area, y down), which is the MVT rule for an exterior ring.
const polygonInTile = (geom: string) => `ST_ForcePolygonCCW(ST_CollectionExtract(ST_SnapToGrid(
    ST_ClipByBox2D(${toTile(geom)}, ST_MakeEnvelope(${-TILE_BUFFER}, ${-TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER})), 1), 3))`;

// Every offer at every zoom: points are cheap, and the client decides how to aggregate them.
const OFFER_FEATURES = `
  f AS (SELECT o.id AS fid, o.id, o.category_key AS category, o.subcategory_key AS subcategory, o.name,
               o.places_free, o.barrier_free, ST_SnapToGrid(${toTile('o.geom')}, 1) AS geom
          FROM offers o, tile t WHERE o.geom && t.query
           AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM regions g WHERE g.id = o.region_id AND g.ars LIKE ANY($4))))`;

// ST_Intersects also uses the index, and drops polygons whose box alone reaches into the tile.
const REGION_FEATURES = `
  f AS (SELECT * FROM (
          SELECT r.ars::bigint AS fid, r.ars AS key, r.name, r.level, r.population, ${polygonInTile('r.geom')} AS geom
            FROM regions r, tile t WHERE r.level = $4 AND ($5::text[] IS NULL OR r.ars LIKE ANY($5))
             AND ST_Intersects(r.geom, t.query)) x
         WHERE NOT ST_IsEmpty(geom))`;

// Two ways to finish: ST_AsMVT where PostGIS has protobuf support (PostgreSQL), otherwise rows
// of tile-space GeoJSON that services/mvt.ts writes as protobuf (the embedded PGlite).
const asMvt = (features: string, layer: string) => `WITH ${TILE}, ${features}
  SELECT ST_AsMVT(f, '${layer}', ${TILE_EXTENT}, 'geom', 'fid') AS mvt FROM f`;
const asRows = (features: string) => `WITH ${TILE}, ${features}
  SELECT f.fid, to_jsonb(f) - 'geom' - 'fid' AS properties, ST_AsGeoJSON(f.geom, 0)::json AS geometry FROM f ORDER BY f.fid`;

const SQL = {
  offers: { mvt: asMvt(OFFER_FEATURES, 'offers'), rows: asRows(OFFER_FEATURES) },
  regions: { mvt: asMvt(REGION_FEATURES, 'regions'), rows: asRows(REGION_FEATURES) },
};

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

async function tile(db: Queryable, layer: keyof typeof SQL, params: unknown[], useAsMvt?: boolean): Promise<Uint8Array> {
  if (useAsMvt ?? (await hasAsMvt(db))) {
    const { rows } = await db.query<{ mvt: Uint8Array | null }>(SQL[layer].mvt, params);
    return rows[0]?.mvt ?? new Uint8Array(0);
  }
  const { rows } = await db.query<{ fid: number; properties: Record<string, MvtValue>; geometry: Geometry }>(SQL[layer].rows, params);
  const features = rows.map((r) => ({ id: Number(r.fid), properties: r.properties, geometry: r.geometry }));
  return encodeTile([{ name: layer, extent: TILE_EXTENT, features }]);
}

/** The offers tile as MVT bytes (empty when no offer lies in it). `useAsMvt` forces a path, for tests. */
export function offerTile(db: Queryable, t: TileAddress, useAsMvt?: boolean, districts: readonly string[] | null = null): Promise<Uint8Array> {
  return tile(db, 'offers', [t.z, t.x, t.y, regionPatterns(null, districts)], useAsMvt);
}

/** The regions of one level in a tile as MVT bytes. */
export function regionTile(db: Queryable, t: TileAddress, level: TileLevel, useAsMvt?: boolean, districts: readonly string[] | null = null): Promise<Uint8Array> {
  return tile(db, 'regions', [t.z, t.x, t.y, level, regionPatterns(null, districts)], useAsMvt);
}
