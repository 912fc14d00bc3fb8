import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import * as meta from '../../repositories/meta.repository.ts';
import * as categories from '../../repositories/categories.repository.ts';
import { EVERYONE } from '../../plugins/auth.ts';

export default async function metaRoutes(app: FastifyInstance) {
  // What the client needs before it draws anything: is this demo data, whose data is shown
  // (attribution), the categories with labels and colours, and the optional basemap.
  // Public when the public offer map is on: the anonymous map needs categories and attribution.
  app.get('/', { config: (app.config.publicOfferMap ? { public: true } : { roles: EVERYONE }) as FastifyContextConfig, schema: { tags: ['system'], summary: 'Dataset, attribution, categories and client settings' } }, async () => {
    const [dataset, sources, cats] = await Promise.all([
      meta.getMeta<Record<string, unknown>>(app.db, 'dataset'),
      meta.listSources(app.db),
      categories.listCategories(app.db),
    ]);
    return {
      dataset: dataset ?? { demo: false },
      sources,
      categories: cats,
      basemap_style_url: app.config.basemapStyleUrl ?? null,
    };
  });
}
