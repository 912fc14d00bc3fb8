import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { CATEGORY_KEYS, OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core';
import { hasAsMvt, offerTile, regionTile, TILE_BUFFER, TILE_EXTENT } from '../../../server/src/repositories/tiles.repository.ts';
import { offerFilter } from '../../../server/src/services/offer-filter.ts';
import { serverTimingDuration } from '../../../server/src/services/server-timing.ts';

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
// Clusters count the offers of the tile itself, without the buffer.
const IN_TILE_ONLY = `ST_Intersects(ST_Transform(o.geom, 3857), ST_TileEnvelope($1, $2, $3))`;
/** Offers a feature of a clustered tile stands for: a cluster's point_count, or 1 for a single offer. */
const members = (f: { properties: Record<string, unknown> }) => (f.properties.cluster ? (f.properties.point_count as number) : 1);
const children = (t: Tile): Tile[] => [0, 1].flatMap((dx) => [0, 1].map((dy) => ({ z: t.z + 1, x: 2 * t.x + dx, y: 2 * t.y + dy })));

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

    it('serves every offer of the district by itself with cluster=false, with their properties', async () => {
      expect(district.z).toBeLessThanOrEqual(OFFER_CLUSTER_MAX_ZOOM);
      const res = await analyst({ url: url('offers', district, '?cluster=false') });
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
      const gz = await analyst({ url: url('offers', district, '?cluster=false'), headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(new VectorTile(new PbfReader(gunzipSync(gz.rawPayload))).layers.offers!.length).toBe(total);
    });

    it('counts offers in a small tile exactly as PostGIS does, buffer included', async () => {
      const layer = decode(await analyst({ url: url('offers', town) })).layers.offers;
      const expected = await countIn(`SELECT count(*)::int AS n FROM offers WHERE ${IN_TILE}`, town);
      expect(expected).toBeGreaterThan(0);
      expect(layer?.length).toBe(expected);
    });

    it(`clusters offers up to zoom ${OFFER_CLUSTER_MAX_ZOOM}: every offer counted once, across tile edges too`, async () => {
      const total = (await t.db.query<{ n: number; free: number }>('SELECT count(*)::int AS n, sum(places_free)::int AS free FROM offers')).rows[0]!;
      const top = features(decode(await analyst({ url: url('offers', district) })).layers.offers);
      const grouped = top.filter((f) => f.properties.cluster);
      expect(grouped.length).toBeGreaterThan(0);
      expect(top.length).toBeLessThan(total.n);
      expect(top.reduce((s, f) => s + members(f), 0)).toBe(total.n);
      expect(top.reduce((s, f) => s + ((f.properties.places_free as number | undefined) ?? 0), 0)).toBe(total.free);
      for (const c of grouped) {
        // No offer id on a cluster; its categories add up to its size; it lies in the tile itself.
        expect(c.id).toBeUndefined();
        expect(c.properties.point_count).toBeGreaterThan(1);
        expect(CATEGORY_KEYS.reduce((s, k) => s + ((c.properties[`count_${k}`] as number | undefined) ?? 0), 0)).toBe(c.properties.point_count);
        const [p] = c.loadGeometry()[0]!;
        expect(p!.x).toBeGreaterThanOrEqual(0);
        expect(p!.x).toBeLessThanOrEqual(TILE_EXTENT);
        expect(p!.y).toBeGreaterThanOrEqual(0);
        expect(p!.y).toBeLessThanOrEqual(TILE_EXTENT);
      }
      for (const single of top.filter((f) => !f.properties.cluster)) expect(single.properties.id).toBe(single.id);
      // The quarter tiles one and two zooms down split the same offers: none lost, none twice.
      for (const level of [children(district), children(district).flatMap(children)]) {
        let sum = 0;
        let clusters = 0;
        const ids = new Set<unknown>();
        for (const tile of level) {
          const fs = features(decode(await analyst({ url: url('offers', tile) })).layers.offers);
          const own = await countIn(`SELECT count(*)::int AS n FROM offers o WHERE ${IN_TILE_ONLY}`, tile);
          expect(fs.reduce((s, f) => s + members(f), 0), `${tile.z}/${tile.x}/${tile.y}`).toBe(own);
          sum += own;
          for (const f of fs.filter((g) => g.properties.cluster)) {
            ids.add(f.properties.cluster_id);
            clusters++;
          }
        }
        expect(sum).toBe(total.n);
        expect(ids.size).toBe(clusters);
      }
      // From the next zoom on, offers come one by one.
      const below = features(decode(await analyst({ url: url('offers', town) })).layers.offers);
      expect(below.length).toBeGreaterThan(0);
      expect(below.some((f) => f.properties.cluster)).toBe(false);
    });

    it('filters before clustering, so the tile counts what the offers counts endpoint counts', async () => {
      const verband = (await t.db.query<{ ars: string }>(
        "SELECT v.ars FROM regions v JOIN regions g ON g.parent_id = v.id JOIN offers o ON o.region_id = g.id WHERE v.level = 'verband' GROUP BY v.ars ORDER BY count(*) DESC LIMIT 1")).rows[0]!.ars;
      // The demo states barrier-free access for every offer: some that do not, in a Gemeinde of the Verband.
      await t.db.query(`INSERT INTO offers (category_key, name, languages, places_free, barrier_free, geom)
        SELECT 'sprache', 'Ohne Angabe ' || i, '{ar}', i, NULL, ST_SetSRID(ST_MakePoint(ST_X(g.label_point) + i * 1e-4, ST_Y(g.label_point)), 4326)
          FROM regions g JOIN regions v ON v.id = g.parent_id, generate_series(1, 3) i WHERE v.ars = $1 AND g.level = 'gemeinde' LIMIT 3`, [verband]);
      const sub = (await t.db.query<{ key: string }>('SELECT subcategory_key AS key FROM offers WHERE subcategory_key IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1')).rows[0]!.key;
      const queries = ['category=sprache,arbeit', 'with_free_places=true', `region=${verband}`, 'q=beratung', `category=sprache&with_free_places=true&region=${verband}`,
        'min_free_places=3', 'language=ar,uk', 'target_group=kinder', 'barrier_free=true', 'barrier_free=false', 'barrier_free=unknown', `subcategory=${sub}`,
        'language=ar&barrier_free=unknown&min_free_places=1'];
      for (const query of queries) {
        const counts = (await analyst({ url: `/api/offers/counts?${query}` })).json() as Record<string, number>;
        const expected = Object.values(counts).reduce((a, b) => a + b, 0);
        expect(expected, query).toBeGreaterThan(0);
        const tile = decode(await analyst({ url: url('offers', district, `?${query}`) })).layers.offers;
        const fs = features(tile);
        expect(fs.reduce((s, f) => s + members(f), 0), query).toBe(expected);
        const byCategory: Record<string, number> = {};
        for (const f of fs) {
          if (!f.properties.cluster) byCategory[f.properties.category as string] = (byCategory[f.properties.category as string] ?? 0) + 1;
          else for (const k of CATEGORY_KEYS) if (f.properties[`count_${k}`]) byCategory[k] = (byCategory[k] ?? 0) + (f.properties[`count_${k}`] as number);
        }
        expect(byCategory, query).toEqual(counts);
      }
      const etags = new Set<string>();
      for (const query of ['', '?category=sprache', '?cluster=false', '?language=ar', '?target_group=kinder', '?barrier_free=unknown', '?min_free_places=2']) etags.add((await analyst({ url: url('offers', district, query) })).headers.etag as string);
      expect(etags.size).toBe(7);
      await t.db.query("DELETE FROM offers WHERE name LIKE 'Ohne Angabe %'");
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

    it('says how long the tile statement took (Server-Timing db), within the time of the whole request', async () => {
      for (const [layer, tile] of [['offers', town], ['regions', district], ['offers', { z: 10, x: 0, y: 0 }]] as const) {
        const start = performance.now();
        const res = await analyst({ url: url(layer, tile) });
        const elapsed = performance.now() - start;
        const header = res.headers['server-timing'] as string;
        expect(header, layer).toMatch(/^db;dur=\d+\.\d{3}$/);
        const dur = serverTimingDuration(header, 'db')!;
        expect(dur).toBeGreaterThan(0);
        expect(dur).toBeLessThanOrEqual(elapsed);
      }
      // A 304 builds no tile, so it reports no statement.
      const etag = (await analyst({ url: url('offers', town) })).headers.etag as string;
      const cached = await analyst({ url: url('offers', town), headers: { 'if-none-match': etag } });
      expect(cached.statusCode).toBe(304);
      expect(cached.headers['server-timing']).toBeUndefined();
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
        ['/tiles/offers/3/-1/0.pbf', 'x'], ['/tiles/regions/a/0/0.pbf', 'z'], ['/tiles/offers/0/0/0.pbf?category=nope', 'category'],
        ['/tiles/offers/0/0/0.pbf?bbox=9,54,10,55', 'bbox'], ['/tiles/offers/0/0/0.pbf?cluster=maybe', 'cluster'], ['/tiles/regions/0/0/0.pbf?category=sprache', 'category'],
        ['/tiles/regions/5/0/0.pbf?level=land%27--', 'level'], ['/tiles/offers/0/0/0.pbf?language=xx', 'language'], ['/tiles/offers/0/0/0.pbf?target_group=nobody', 'target_group'],
        ['/tiles/offers/0/0/0.pbf?barrier_free=1', 'barrier_free'], ['/tiles/offers/0/0/0.pbf?min_free_places=-1', 'min_free_places'], ['/tiles/offers/0/0/0.pbf?subcategory=kein_solches', 'subcategory'],
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
      // Clusters have no feature id: they are matched by cluster_id.
      const key = (f: { id?: number; properties: Record<string, unknown> }) => f.id ?? (f.properties.cluster_id as number);
      const same = (a: Uint8Array, b: Uint8Array, layer: string) => {
        const sorted = (bytes: Uint8Array) => features(new VectorTile(new PbfReader(bytes)).layers[layer]).sort((f, g) => key(f) - key(g));
        const fa = sorted(a);
        const fb = sorted(b);
        expect(fb.map((f) => [f.id, f.properties, f.type, f.loadGeometry()])).toEqual(fa.map((f) => [f.id, f.properties, f.type, f.loadGeometry()]));
        return fa;
      };
      const offers = async (tile: Tile, options: Parameters<typeof offerTile>[2] = {}) =>
        same((await offerTile(t.db, tile, { ...options, useAsMvt: true })).bytes, (await offerTile(t.db, tile, { ...options, useAsMvt: false })).bytes, 'offers');
      expect((await offers(district, { cluster: false })).length).toBeGreaterThan(0);
      expect((await offers(town)).length).toBeGreaterThan(0);
      for (const tile of [district, ...children(district)]) {
        const fs = await offers(tile);
        expect(fs.some((f) => f.properties.cluster) || fs.length === 0).toBe(true);
      }
      const filter = await offerFilter(t.db, { category: 'sprache,beratung', with_free_places: true });
      expect((await offers(district, { filter })).length).toBeGreaterThan(0);
      expect((await offers(district, { filter: await offerFilter(t.db, { q: 'zzz-nothing' }) })).length).toBe(0);
      expect(same((await regionTile(t.db, district, 'gemeinde', true)).bytes, (await regionTile(t.db, district, 'gemeinde', false)).bytes, 'regions').length).toBeGreaterThan(0);
    });
  });
}
