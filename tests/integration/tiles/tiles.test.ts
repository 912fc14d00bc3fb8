import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { hasAsMvt, offerTile, regionTile, TILE_BUFFER, TILE_EXTENT } from '../../../server/src/repositories/tiles.repository.ts';

type Tile = { z: number; x: number; y: number };

const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};
const decode = (res: LightMyRequestResponse) => new VectorTile(new PbfReader(res.rawPayload));
const features = (layer: VectorTileLayer | undefined) => Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i));
// Shoelace area in tile coordinates (y down): the MVT rule wants it positive for exterior rings.
const area = (ring: { x: number; y: number }[]) => ring.reduce((s, p, i) => { const q = ring[(i + 1) % ring.length]!; return s + p.x * q.y - q.x * p.y; }, 0) / 2;

// Offers and regions in a tile as the server defines it: the tile plus its buffer, in EPSG:3857.
const IN_TILE = `ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}))`;

for (const kind of BACKENDS) {
  describe(`vector tiles on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let analyst: ReturnType<typeof as>;
    let district: Tile;
    let town: Tile;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      analyst = as(app, await login(app, 'analyst'));
      const { rows } = await t.db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
        "SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM regions WHERE level = 'kreis') s");
      const e = rows[0]!;
      // The deepest tile that still holds the whole district.
      let z = 12;
      while (lon2x(e.xmin, z) !== lon2x(e.xmax, z) || lat2y(e.ymin, z) !== lat2y(e.ymax, z)) z--;
      district = { z, x: lon2x(e.xmin, z), y: lat2y(e.ymax, z) };
      const p = (await t.db.query<{ lon: number; lat: number }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'gemeinde' ORDER BY population DESC NULLS LAST LIMIT 1")).rows[0]!;
      town = { z: 13, x: lon2x(p.lon, 13), y: lat2y(p.lat, 13) };
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const url = (layer: string, tile: Tile, query = '') => `/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.pbf${query}`;
    const countIn = async (sql: string, tile: Tile, extra: unknown[] = []) => (await t.db.query<{ n: number }>(sql, [tile.z, tile.x, tile.y, ...extra])).rows[0]!.n;

    it('serves every offer of the district in the tile covering it, with their properties', async () => {
      const res = await analyst({ url: url('offers', district) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      expect(res.headers['cache-control']).toBe('private, max-age=60');
      const layer = decode(res).layers.offers!;
      expect(layer.extent).toBe(TILE_EXTENT);
      const total = await countIn(`SELECT count(*)::int AS n FROM offers WHERE ${IN_TILE}`, district);
      expect(total).toBe((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM offers')).rows[0]!.n);
      expect(layer.length).toBe(total);

      const { rows } = await t.db.query<Record<string, unknown> & { id: number; lon: number; lat: number }>(
        'SELECT id::int AS id, category_key AS category, subcategory_key AS subcategory, name, places_free, barrier_free, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM offers');
      const byId = new Map(rows.map((r) => [r.id, r]));
      const pixel = 360 / 2 ** district.z / TILE_EXTENT;
      for (const f of features(layer)) {
        const row = byId.get(f.id!)!;
        expect(f.type).toBe(1);
        expect(f.properties.id).toBe(row.id);
        for (const k of ['category', 'subcategory', 'name', 'places_free', 'barrier_free']) expect(f.properties[k] ?? null, k).toEqual(row[k] ?? null);
        const [lon, lat] = (f.toGeoJSON(district.x, district.y, district.z).geometry as { coordinates: number[] }).coordinates as [number, number];
        expect(Math.abs(lon - row.lon)).toBeLessThan(pixel);
        expect(Math.abs(lat - row.lat)).toBeLessThan(pixel);
      }
      const gz = await analyst({ url: url('offers', district), headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(new VectorTile(new PbfReader(gunzipSync(gz.rawPayload))).layers.offers!.length).toBe(total);
    });

    it('counts offers in a small tile exactly as PostGIS does, buffer included', async () => {
      const layer = decode(await analyst({ url: url('offers', town) })).layers.offers;
      const expected = await countIn(`SELECT count(*)::int AS n FROM offers WHERE ${IN_TILE}`, town);
      expect(expected).toBeGreaterThan(0);
      expect(layer?.length).toBe(expected);
    });

    it('draws regions as polygons at the level the zoom calls for, or the one asked for', async () => {
      const kreise = features(decode(await analyst({ url: url('regions', district) })).layers.regions);
      expect(kreise.map((f) => f.properties.level)).toEqual(['kreis']);
      const kreis = kreise[0]!;
      expect(kreis.type).toBe(3);
      const row = (await t.db.query<{ ars: string; name: string; population: number }>("SELECT ars, name, population FROM regions WHERE level = 'kreis'")).rows[0]!;
      expect(kreis.properties).toMatchObject({ key: row.ars, name: row.name, population: row.population });
      expect(['Polygon', 'MultiPolygon']).toContain(kreis.toGeoJSON(district.x, district.y, district.z).geometry.type);
      expect(area(kreis.loadGeometry()[0]!)).toBeGreaterThan(0);

      const gemeinden = features(decode(await analyst({ url: url('regions', district, '?level=gemeinde') })).layers.regions);
      expect(gemeinden.length).toBe(await countIn(`SELECT count(*)::int AS n FROM regions WHERE level = 'gemeinde' AND ${IN_TILE}`, district));
      for (const g of gemeinden) {
        expect(g.properties.level).toBe('gemeinde');
        expect(String(g.properties.key)).toMatch(/^[0-9]{12}$/);
        expect(area(g.loadGeometry()[0]!)).toBeGreaterThan(0);
      }
      const zoomed = features(decode(await analyst({ url: url('regions', town) })).layers.regions);
      expect(new Set(zoomed.map((f) => f.properties.level))).toEqual(new Set(['gemeinde']));
    });

    it('answers 204 with no body for a tile without features', async () => {
      for (const layer of ['offers', 'regions']) {
        const res = await analyst({ url: url(layer, { z: 10, x: 0, y: 0 }) });
        expect(res.statusCode, layer).toBe(204);
        expect(res.rawPayload.length).toBe(0);
      }
    });

    it('answers a conditional request with 304 until the layer changes', async () => {
      const first = await analyst({ url: url('offers', town) });
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"/);
      const again = await analyst({ url: url('offers', town), headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.headers['cache-control']).toBe('private, max-age=60');
      expect((await analyst({ url: url('offers', district), headers: { 'if-none-match': etag } })).statusCode).toBe(200);
      await t.db.query("UPDATE layer_revisions SET revision = revision + 1 WHERE layer = 'offers'");
      expect((await analyst({ url: url('offers', town), headers: { 'if-none-match': etag } })).statusCode).toBe(200);
    });

    it('rejects tile addresses outside the pyramid and unknown parameters with 400', async () => {
      const cases: [string, string][] = [
        ['/tiles/offers/23/0/0.pbf', 'z'], ['/tiles/offers/3/8/0.pbf', 'x'], ['/tiles/offers/3/0/8.pbf', 'y'],
        ['/tiles/offers/3/-1/0.pbf', 'x'], ['/tiles/regions/a/0/0.pbf', 'z'], ['/tiles/offers/0/0/0.pbf?category=sprache', 'category'],
        ['/tiles/regions/5/0/0.pbf?level=land%27--', 'level'],
      ];
      for (const [path, field] of cases) {
        const res = await analyst({ url: path });
        expect(res.statusCode, path).toBe(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(res.json().errors.map((e: { field: string }) => e.field), path).toContain(field);
      }
      expect((await analyst({ url: '/tiles/nope/0/0/0.pbf' })).statusCode).toBe(404);
    });

    it('requires a reading role; with PUBLIC_OFFER_MAP only the offers tiles are public', async () => {
      expect((await app.inject({ url: url('offers', district) })).statusCode).toBe(401);
      expect((await app.inject({ url: url('regions', district) })).statusCode).toBe(401);
      expect((await as(app, await login(app, 'partner'))({ url: url('regions', district) })).statusCode).toBe(403);
      const open = await buildTestApp(t.db, { PUBLIC_OFFER_MAP: 'true' });
      try {
        expect((await open.inject({ url: url('offers', district) })).statusCode).toBe(200);
        expect((await open.inject({ url: url('regions', district) })).statusCode).toBe(401);
      } finally {
        await open.close();
      }
    });

    it(`uses ST_AsMVT only where PostGIS has protobuf support, and both paths draw the same tile`, async () => {
      const native = await hasAsMvt(t.db);
      expect(native).toBe(kind === 'postgres');
      if (!native) return;
      const same = (a: Uint8Array, b: Uint8Array, layer: string) => {
        const sorted = (bytes: Uint8Array) => features(new VectorTile(new PbfReader(bytes)).layers[layer]).sort((f, g) => f.id! - g.id!);
        const fa = sorted(a);
        const fb = sorted(b);
        expect(fb.map((f) => [f.id, f.properties, f.type, f.loadGeometry()])).toEqual(fa.map((f) => [f.id, f.properties, f.type, f.loadGeometry()]));
        return fa.length;
      };
      expect(same(await offerTile(t.db, district, true), await offerTile(t.db, district, false), 'offers')).toBeGreaterThan(0);
      expect(same(await regionTile(t.db, district, 'gemeinde', true), await regionTile(t.db, district, 'gemeinde', false), 'regions')).toBeGreaterThan(0);
    });
  });
}
