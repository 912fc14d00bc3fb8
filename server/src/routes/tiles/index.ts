import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { OFFER_CLUSTER_MAX_ZOOM, OfferTileQuery, type OfferTileQuery as OfferTileQueryT } from '@ilk/core';
import { READERS } from '../../plugins/auth.ts';
import { badRequest } from '../../errors.ts';
import * as tiles from '../../repositories/tiles.repository.ts';
import { layerRevision } from '../../repositories/layer-revisions.repository.ts';
import { layerEtag, notModified } from '../../services/etag.ts';
import { offerFilter } from '../../services/offer-filter.ts';
import { requestDistricts } from '../../services/read-scope.ts';
import { timedStatement } from '../../services/server-timing.ts';

const MVT = 'application/vnd.mapbox-vector-tile';
// Tiles may be reused for a minute: panning asks for the same tiles again and again. An edit shows
// in the map after at most that long; the ETag then makes the next request a cheap 304.
const TILE_CACHE = 'private, max-age=60';
// Offer tiles shrink by half or more with gzip; the global compress settings only cover text types.
const compress = { customTypes: /^application\/vnd\.mapbox-vector-tile$/, threshold: 1024 };

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
});
type TileParams = Static<typeof TileParams>;
const RegionQuery = Type.Object(
  { level: Type.Optional(Type.Enum(['kreis', 'verband', 'gemeinde'], { description: 'default: kreis below zoom 9, verband below zoom 11, gemeinde from zoom 11' })) },
  { additionalProperties: false },
);

function address(request: FastifyRequest): TileParams {
  const t = request.params as TileParams;
  const max = 2 ** t.z - 1;
  if (t.x > max || t.y > max) throw badRequest(`x and y must lie within 0..${max} at zoom ${t.z}`, [{ field: t.x > max ? 'x' : 'y', message: `must be at most ${max}` }]);
  return t;
}

const defaultLevel = (z: number): tiles.TileLevel => (z < 9 ? 'kreis' : z < 11 ? 'verband' : 'gemeinde');

/** An empty tile is 204 No Content: MapLibre and QGIS treat it as a tile without features. */
function sendTile(reply: FastifyReply, bytes: Uint8Array) {
  if (bytes.length === 0) return reply.code(204).send();
  return reply.type(MVT).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Mapbox Vector Tiles of offers and regions, made by PostGIS, for MapLibre and QGIS. A built tile
 * says how long its statement took (`Server-Timing: db;dur=…`).
 */
export default async function tileRoutes(app: FastifyInstance) {
  // A conditional request is answered from the revisions alone (304 without building the tile).
  // An unconditional one skips that read: the tile statement returns the revisions it saw.
  async function unchanged(request: FastifyRequest, reply: FastifyReply, layers: readonly string[], etag: (revision: string) => string) {
    if (!request.headers['if-none-match']) return false;
    return notModified(request, reply, etag(await layerRevision(app.db, layers)));
  }

  // The same rule as /api/offers: with PUBLIC_OFFER_MAP the offers (and only they) are public.
  const offerConfig: FastifyContextConfig = app.config.publicOfferMap ? { public: true } : { roles: READERS };

  // notModified() marks layer responses no-cache; tiles allow a short reuse (also on a 304).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 300 || reply.statusCode === 304) reply.header('cache-control', TILE_CACHE);
    return payload;
  });

  app.get('/offers/:z/:x/:y.pbf', {
    config: offerConfig, compress,
    schema: {
      tags: ['tiles'], params: TileParams, querystring: OfferTileQuery,
      summary: `Offers as a vector tile (layer "offers", points), filtered like /api/offers; clusters up to zoom ${OFFER_CLUSTER_MAX_ZOOM}`,
    },
  }, async (request, reply) => {
    const t = address(request);
    const { cluster, ...query } = request.query as OfferTileQueryT;
    const districts = requestDistricts(request.user);
    const etag = (revision: string) => layerEtag(revision, ['tile', 'offers', t.z, t.x, t.y, query, cluster ?? true, districts]);
    if (await unchanged(request, reply, tiles.OFFER_TILE_LAYERS, etag)) return reply;
    const filter = await offerFilter(app.db, query, districts);
    const tile = await timedStatement(reply, 'db', () => tiles.offerTile(app.db, t, { filter, cluster }));
    notModified(request, reply, etag(tile.revision));
    return sendTile(reply, tile.bytes);
  });

  app.get('/regions/:z/:x/:y.pbf', {
    config: { roles: READERS }, compress,
    schema: { tags: ['tiles'], summary: 'Regions as a vector tile (layer "regions", polygons), the level chosen by zoom', params: TileParams, querystring: RegionQuery },
  }, async (request, reply) => {
    const t = address(request);
    const level = (request.query as Static<typeof RegionQuery>).level ?? defaultLevel(t.z);
    const districts = requestDistricts(request.user);
    const etag = (revision: string) => layerEtag(revision, ['tile', 'regions', level, t.z, t.x, t.y, districts]);
    if (await unchanged(request, reply, tiles.REGION_TILE_LAYERS, etag)) return reply;
    const tile = await timedStatement(reply, 'db', () => tiles.regionTile(app.db, t, level, undefined, districts));
    notModified(request, reply, etag(tile.revision));
    return sendTile(reply, tile.bytes);
  });
}
