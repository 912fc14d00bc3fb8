import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import problemDetails from './plugins/problem-details.ts';
import { schemaController } from './plugins/validation.ts';
import jsonBody from './plugins/json-body.ts';
import requestBody from './plugins/request-body.ts';
import security from './plugins/security.ts';
import clientApp from './plugins/client-app.ts';
import openapi from './plugins/openapi.ts';
import overload from './plugins/overload.ts';
import auth from './plugins/auth.ts';
import rateLimit from '@fastify/rate-limit';
import authRoutes from './routes/auth/index.ts';
import regionRoutes from './routes/regions/index.ts';
import offerRoutes from './routes/offers/index.ts';
import needRoutes from './routes/needs/index.ts';
import auditRoutes from './routes/audit/index.ts';
import historyRoutes from './routes/history/index.ts';
import offerImportRoutes from './routes/offer-import/index.ts';
import exportRoutes from './routes/export/index.ts';
import healthRoutes from './routes/health/index.ts';
import metaRoutes from './routes/meta/index.ts';
import ogcRoutes from './routes/ogc/index.ts';
import allocationRoutes from './routes/allocations/index.ts';
import tileRoutes from './routes/tiles/index.ts';
import coverageRoutes from './routes/coverage/index.ts';
import partnerRoutes from './routes/partner/index.ts';
import needEventRoutes from './routes/need-events/index.ts';
import networkRoutes from './routes/networks/index.ts';
import userRoutes from './routes/users/index.ts';
import providerRoutes from './routes/providers/index.ts';
import dashboardRoutes from './routes/dashboard/index.ts';
import completenessRoutes from './routes/completeness/index.ts';
import capacityRoutes from './routes/capacity/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
    /** Every route registered, for the role-matrix test and the docs. */
    routeList: { method: string; url: string; public: boolean; roles: readonly string[] }[];
  }
}

export interface BuildOptions {
  db: Database;
  config: Config;
  logger?: FastifyServerOptions['logger'];
}

/** Registers plugins, repositories' database and routes; never listens (main.ts and tests do). */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    trustProxy: opts.config.trustProxy,
    // Refuse new connections during shutdown while in-flight requests finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Strict JSON bodies, coerced query strings and parameters: see plugins/validation.ts.
    schemaController,
  });
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);
  app.decorate('routeList', []);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const cfg = (route.config ?? {}) as { public?: boolean; roles?: readonly string[] };
      app.routeList.push({ method, url: route.url, public: cfg.public === true, roles: cfg.roles ?? [] });
    }
  });

  await app.register(problemDetails);
  await app.register(jsonBody);
  await app.register(requestBody);
  await app.register(overload);
  await app.register(security);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(openapi);
  // Per-IP limits only where a route asks for them (login); the per-account throttle is in the database.
  await app.register(rateLimit, { global: false });
  await app.register(auth);

  await app.register(healthRoutes, { prefix: '/api/health' });
  await app.register(metaRoutes, { prefix: '/api/meta' });
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(regionRoutes, { prefix: '/api/regions' });
  await app.register(offerRoutes, { prefix: '/api/offers' });
  await app.register(needRoutes, { prefix: '/api/needs' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(historyRoutes, { prefix: '/api/history' });
  await app.register(offerImportRoutes, { prefix: '/api/offers/import' });
  await app.register(exportRoutes, { prefix: '/api/export' });
  await app.register(allocationRoutes, { prefix: '/api/allocations' });
  await app.register(coverageRoutes, { prefix: '/api/coverage' });
  await app.register(completenessRoutes, { prefix: '/api/completeness' });
  await app.register(partnerRoutes, { prefix: '/api/partner' });
  await app.register(needEventRoutes, { prefix: '/api/needs' });
  await app.register(networkRoutes, { prefix: '/api/networks' });
  await app.register(userRoutes, { prefix: '/api/users' });
  await app.register(providerRoutes, { prefix: '/api' });
  await app.register(dashboardRoutes, { prefix: '/api/dashboard' });
  await app.register(capacityRoutes, { prefix: '/api/capacity' });
  await app.register(ogcRoutes, { prefix: '/ogc' });
  await app.register(tileRoutes, { prefix: '/tiles' });

  await app.register(clientApp);
  return app;
}
