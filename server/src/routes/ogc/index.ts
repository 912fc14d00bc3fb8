import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertMayRead, requestDistricts } from '../../services/read-scope.ts';
import { Type } from 'typebox';
import { READERS } from '../../plugins/auth.ts';
import { notFound } from '../../errors.ts';
import { extents, type Bbox } from '../../repositories/ogc.repository.ts';
import { COLLECTIONS, MAX_LIMIT, type OgcCollection } from '../../services/ogc-collections.ts';
import { GEOJSON_TYPE, JSON_TYPE, link, ogcRoot, origin, pageLinks } from '../../services/ogc-links.ts';
import { featureSchema, SCHEMA_TYPE } from '../../services/ogc-schema.ts';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const CONFORMANCE = ['core', 'geojson', 'oas30'].map((c) => `http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`);
const GEOJSON = `${GEOJSON_TYPE}; charset=utf-8`;
const WORLD: Bbox = [-180, -90, 180, 90];

const FormatOnly = Type.Object({ f: Type.Optional(Type.Enum(['json'])) }, { additionalProperties: false });
const FeatureParams = Type.Object({ featureId: Type.String({ maxLength: 40 }) });
const tags = ['ogc'];

// OGC API Features: a limit above the maximum is served as the maximum, not refused (Part 1,
// /req/core/fc-limit-response-1). Clamped before validation, so the schema can still state the
// maximum for clients such as GDAL that read it from the API definition.
async function clampLimit(request: FastifyRequest) {
  const q = request.query as Record<string, unknown>;
  if (typeof q.limit === 'string' && /^[0-9]+$/.test(q.limit) && Number(q.limit) > MAX_LIMIT) q.limit = String(MAX_LIMIT);
}

function describe(root: string, c: OgcCollection, bbox: Bbox | undefined) {
  return {
    id: c.id, title: c.title, description: c.description, itemType: 'feature', crs: [CRS84],
    // Without an extent GDAL pages through every feature just to answer `ogrinfo -so`.
    extent: { spatial: { bbox: [bbox ?? WORLD], crs: CRS84 } },
    links: [
      link(`${root}/collections/${c.id}`, 'self', JSON_TYPE, c.title),
      link(`${root}/collections/${c.id}/items`, 'items', GEOJSON_TYPE, 'the features'),
      // Relation types compare case-insensitively (RFC 8288); GDAL 3.6 matches this spelling only.
      ...(c.properties ? [link(`${root}/collections/${c.id}/schema`, 'describedBy', SCHEMA_TYPE, 'the properties and their types')] : []),
    ],
  };
}

/** OGC API - Features Part 1 (Core, GeoJSON) over the offers, regions and needs, for GIS clients. */
export default async function ogcRoutes(app: FastifyInstance) {
  const config = { roles: READERS };

  app.get('/', { config, schema: { tags, summary: 'OGC API landing page', querystring: FormatOnly } }, async (request) => {
    const root = ogcRoot(request);
    return {
      title: 'Integrationslandkarte: OGC API Features',
      description: 'Offers, regions and needs as OGC API Features (GeoJSON, CRS84) for QGIS, GDAL and other GIS clients.',
      links: [
        link(root, 'self', JSON_TYPE, 'this document'),
        link(`${origin(request)}/docs/json`, 'service-desc', 'application/vnd.oai.openapi+json;version=3.1', 'the API definition'),
        link(`${origin(request)}/docs`, 'service-doc', 'text/html', 'the API documentation'),
        link(`${root}/conformance`, 'conformance', JSON_TYPE, 'conformance classes'),
        link(`${root}/collections`, 'data', JSON_TYPE, 'the collections'),
      ],
    };
  });

  app.get('/conformance', { config, schema: { tags, summary: 'Conformance classes implemented', querystring: FormatOnly } }, async () => ({ conformsTo: CONFORMANCE }));

  app.get('/collections', { config, schema: { tags, summary: 'The feature collections', querystring: FormatOnly } }, async (request) => {
    const root = ogcRoot(request);
    const boxes = await extents(app.db);
    return { links: [link(`${root}/collections`, 'self', JSON_TYPE, 'the collections')], collections: COLLECTIONS.map((c) => describe(root, c, boxes.get(c.id))) };
  });

  for (const c of COLLECTIONS) {
    app.get(`/collections/${c.id}`, { config, schema: { tags, summary: `Collection ${c.id}`, querystring: FormatOnly } }, async (request) =>
      describe(ogcRoot(request), c, (await extents(app.db)).get(c.id)),
    );

    const properties = c.properties;
    if (properties) {
      app.get(`/collections/${c.id}/schema`, { config, schema: { tags, summary: `JSON Schema of the features of ${c.id}: every property with its type`, querystring: FormatOnly } }, async (request, reply) =>
        reply.type(`${SCHEMA_TYPE}; charset=utf-8`).send(featureSchema(`${ogcRoot(request)}/collections/${c.id}/schema`, c.title, properties)),
      );
    }

    app.get(`/collections/${c.id}/items`, {
      config, preValidation: clampLimit,
      schema: { tags, summary: `Features of ${c.id}, paged; rel=next links to the following page`, querystring: c.query },
    }, async (request, reply) => {
      const q = request.query as Parameters<OgcCollection['items']>[1];
      const page = await c.items(app.db, q, requestDistricts(request.user));
      const url = `${ogcRoot(request)}/collections/${c.id}`;
      const links = [...pageLinks(request, `${url}/items`, { ...q, ...page }), link(url, 'collection', JSON_TYPE, c.title)];
      // The features are GeoJSON text from PostgreSQL; only the envelope is written here.
      const head = { type: 'FeatureCollection', numberMatched: page.matched, numberReturned: page.returned, timeStamp: new Date().toISOString(), links };
      return reply.type(GEOJSON).send(`${JSON.stringify(head).slice(0, -1)},"features":[${page.features}]}`);
    });

    app.get(`/collections/${c.id}/items/:featureId`, {
      config, schema: { tags, summary: `One feature of ${c.id}`, params: FeatureParams, querystring: FormatOnly },
    }, async (request, reply) => {
      const { featureId } = request.params as { featureId: string };
      const feature = await c.item(app.db, featureId);
      if (!feature) throw notFound(`feature ${featureId} in collection ${c.id}`);
      const props = (feature as { properties?: { region_key?: string | null; key?: string } }).properties;
      if (request.user) assertMayRead(request.user, props?.region_key ?? props?.key ?? null, `feature ${featureId}`);
      const url = `${ogcRoot(request)}/collections/${c.id}`;
      const links = [link(`${url}/items/${encodeURIComponent(featureId)}`, 'self', GEOJSON_TYPE, 'this feature'), link(url, 'collection', JSON_TYPE, c.title)];
      return reply.type(GEOJSON).send({ ...feature, links });
    });
  }
}
