import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import problemDetails from './plugins/problem-details.ts';
import security from './plugins/security.ts';
import clientApp from './plugins/client-app.ts';
import openapi from './plugins/openapi.ts';
import healthRoutes from './routes/health/index.ts';
import metaRoutes from './routes/meta/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
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
    // Refuse new connections during shutdown while in-flight requests finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);

  await app.register(problemDetails);
  await app.register(security);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(openapi);

  await app.register(healthRoutes, { prefix: '/api/health' });
  await app.register(metaRoutes, { prefix: '/api/meta' });

  await app.register(clientApp);
  return app;
}
