import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Feature, FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

// Issue 17: layers and OGC pages are written without the spaces json_build_object puts after
// colons and commas (repositories/json-sql.ts), and values that contain ": " or ", " (or quotes
// and braces) arrive exactly as stored.
const TRICKY = {
  name: 'Sprachtreff: "Café", Raum 2 : 18:00, {offen}',
  description: 'a, "b" : c,\n d\t: [e], \\ "f": g, ',
  title: 'Bedarf: "Kita" , Plätze : 12, ',
};

/** The characters outside string literals that are whitespace: none in compact JSON. */
function spacesOutsideStrings(text: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ' ' || c === '\n' || c === '\t' || c === '\r') n++;
  }
  return n;
}

for (const kind of BACKENDS) {
  describe(`compact GeoJSON from the layers and the OGC API on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let get: ReturnType<typeof as>;
    let offerId: number;
    let needId: number;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      offerId = Number((await t.db.query<{ id: string }>(`
        INSERT INTO offers (category_key, name, description, languages, target_groups, geom)
        SELECT 'sprache', $1, $2, '{de,ar,uk}', '{frauen}', label_point FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1
        RETURNING id`, [TRICKY.name, TRICKY.description])).rows[0]!.id);
      needId = Number((await t.db.query<{ id: string }>(`
        INSERT INTO needs (region_id, kind, title, description)
        SELECT id, 'information', $1, $2 FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1 RETURNING id`, [TRICKY.title, TRICKY.description])).rows[0]!.id);
      app = await buildTestApp(t.db);
      get = as(app, await login(app, 'analyst'));
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    const LAYERS = ['/api/offers', '/api/needs', '/api/export/offers.geojson', '/api/export/needs.geojson', '/api/export/regions.geojson?level=verband',
      '/ogc/collections/offers/items?limit=1000', '/ogc/collections/needs/items?limit=1000', '/ogc/collections/regions-verband/items',
      '/ogc/collections/regions-gemeinde/items?limit=1000'];

    for (const url of LAYERS) {
      it(`${url}: no whitespace outside strings`, async () => {
        const res = await get({ url });
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        expect((res.json() as FeatureCollection).features.length).toBeGreaterThan(0);
        expect(spacesOutsideStrings(res.body)).toBe(0);
      });
    }

    it('keeps ": " and ", " inside values as stored, in the layer, the OGC pages and single features', async () => {
      const byId = (fc: FeatureCollection, id: number) => fc.features.find((f) => f.id === id)!;
      for (const url of ['/api/offers', '/api/export/offers.geojson', '/ogc/collections/offers/items?limit=1000']) {
        const offer = byId((await get({ url })).json(), offerId);
        expect(offer.properties, url).toMatchObject({ name: TRICKY.name, description: TRICKY.description });
      }
      for (const url of ['/api/needs', '/ogc/collections/needs/items?limit=1000']) {
        expect(byId((await get({ url })).json(), needId).properties, url).toMatchObject({ title: TRICKY.title, description: TRICKY.description });
      }
      const single = (await get({ url: `/api/offers/${offerId}` })).json() as Feature;
      expect(single.properties).toMatchObject({ name: TRICKY.name, languages: ['de', 'ar', 'uk'] });
      const ogc = (await get({ url: `/ogc/collections/offers/items/${offerId}` })).json() as Feature;
      // GIS formats hold no lists: the OGC API joins them with |.
      expect(ogc.properties).toMatchObject({ name: TRICKY.name, description: TRICKY.description, languages: 'de|ar|uk', target_groups: 'frauen' });
      const need = (await get({ url: `/api/needs/${needId}` })).json() as Feature;
      expect(need.properties).toMatchObject({ title: TRICKY.title });
    });
  });
}
