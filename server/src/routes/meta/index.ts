import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import * as categories from '../../repositories/categories.repository.ts';
import { EVERYONE } from '../../plugins/auth.ts';
import { datasetFacts, factsScope } from '../../services/dataset-facts.ts';

export default async function metaRoutes(app: FastifyInstance) {
  // What the client needs before it draws anything: per district whether it is the demo and
  // whose data it is, the dataset summary derived from them (badge, name), the attribution of
  // the data present, the categories with labels and colours, and the optional basemap.
  // Public when the public offer map is on: the anonymous map needs categories and attribution.
  app.get('/', { config: (app.config.publicOfferMap ? { public: true } : { roles: EVERYONE }) as FastifyContextConfig, schema: { tags: ['system'], summary: 'Dataset facts per district, attribution, categories and client settings' } }, async (request) => {
    const [facts, cats] = await Promise.all([datasetFacts(app.db, factsScope(request.user)), categories.listCategories(app.db)]);
    return { ...facts, categories: cats, basemap_style_url: app.config.basemapStyleUrl ?? null };
  });
}
