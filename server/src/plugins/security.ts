import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance } from 'fastify';

function origin(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}

/**
 * The headers helmet sets for these options. Without nonces or function directives they depend on
 * nothing in the request, so they are worked out once: @fastify/helmet built helmet's middleware
 * anew for every request (its CSP parsing showed in the profile of an authenticated request).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value), removeHeader: () => {} };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * Security headers on every response (a route may override one, as the API docs do their CSP).
 * The Content-Security-Policy allows what MapLibre needs and nothing more: its worker is a same-origin module file (blob: kept for older worker set-ups), it draws
 * images from blob: and data:, and sets inline styles on its canvas container. A configured
 * basemap's origin is added for styles, tiles, glyphs and sprites.
 */
export default fp(
  async function security(app: FastifyInstance) {
    const basemap = origin(app.config.basemapStyleUrl);
    const headers = helmetHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
          connectSrc: ["'self'", ...basemap],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: app.config.production,
    });
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security' },
);
