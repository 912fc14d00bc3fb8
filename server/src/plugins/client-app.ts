import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built Svelte client from client/dist, with the SPA fallback to index.html for
 * any GET that is not an API route. Hashed assets are cached for a year; index.html never.
 */
export default (
  async function clientApp(app: FastifyInstance) {
    const root = app.config.clientDir;
    if (!existsSync(root)) {
      app.log.warn({ root }, 'client build not found; serving the API only (run npm run build)');
      return;
    }
    // The client's files are public (the login page is among them): mark every route of this
    // plugin so the auth hook's deny-by-default lets them through.
    app.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), public: true };
    });
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        // The MapLibre worker is a module file; browsers refuse it unless it is JavaScript.
        if (path.endsWith('.mjs')) res.header('content-type', 'text/javascript; charset=utf-8');
        res.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (path.startsWith('/api/') || path.startsWith('/ogc') || path.startsWith('/tiles/')) {
        return reply.callNotFound();
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    });
  }
);
