import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
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
 * Security headers. The Content-Security-Policy allows what MapLibre needs and nothing more:
 * its worker is a same-origin module file (blob: kept for older worker set-ups), it draws
 * images from blob: and data:, and sets inline styles on its canvas container. A configured
 * basemap's origin is added for styles, tiles, glyphs and sprites.
 */
export default fp(
  async function security(app: FastifyInstance) {
    const basemap = origin(app.config.basemapStyleUrl);
    await app.register(helmet, {
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
  },
  { name: 'security' },
);
