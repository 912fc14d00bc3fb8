import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI 3 generated from the route schemas (TypeBox), served as JSON and as a UI at /docs. */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Integrationslandkarte API',
          version: '0.1.0',
          description: 'Integration offers, needs, capacities and allocation planning for a district. Errors are RFC 9457 problem+json.',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'ilk_session' },
            token: { type: 'http', scheme: 'bearer' },
          },
        },
        security: [{ session: [] }, { token: [] }],
      },
    });
    // The API description is public, like the login page.
    await app.register(async (docs) => {
      docs.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), public: true };
      });
      await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    });
  },
  { name: 'openapi' },
);
