import type { FastifyInstance } from 'fastify';
import { Completeness, CompletenessQuery, type CompletenessQuery as CompletenessQueryT } from '@ilk/core/schemas/completeness';
import { READERS } from '../../plugins/auth.ts';
import { completeness } from '../../repositories/completeness.repository.ts';
import { regionPatterns } from '../../repositories/region-patterns.ts';
import { assertMayRead, readableDistricts } from '../../services/read-scope.ts';

// The data-completeness panel: per readable Kreis, which units reported capacities and when,
// offers per category and open needs. Scoped like the layers: a coordinator sees their Kreise.
export default async function completenessRoutes(app: FastifyInstance) {
  app.get('/', {
    config: { roles: READERS },
    schema: {
      tags: ['layers'], querystring: CompletenessQuery, response: { 200: Completeness },
      summary: 'Per Kreis: units with and without capacity reports (dates), offers per category, open needs',
    },
  }, async (request) => {
    const { kreis } = request.query as CompletenessQueryT;
    if (kreis) assertMayRead(request.user!, kreis, 'the Kreis');
    const patterns = regionPatterns(kreis ? kreis.slice(0, 5) : null, readableDistricts(request.user!));
    return { kreise: await completeness(app.db, patterns) };
  });
}
