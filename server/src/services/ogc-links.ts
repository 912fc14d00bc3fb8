import type { FastifyRequest } from 'fastify';

export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

/**
 * The absolute URL of the OGC API root as the client reached it. Links are absolute because
 * GDAL and QGIS follow `href` verbatim; they are built from the request's Host and protocol so
 * the same server answers correctly under any name. Behind a reverse proxy, Fastify's
 * `trustProxy` decides whether X-Forwarded-Proto/Host count.
 */
export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export const ogcRoot = (request: FastifyRequest) => `${origin(request)}/ogc`;

export const link = (href: string, rel: string, type: string, title?: string): Link => (title ? { href, rel, type, title } : { href, rel, type });

/** The request's own query string as sent, minus the named parameters. */
function keptQuery(request: FastifyRequest, drop: readonly string[]): URLSearchParams {
  const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(raw);
  for (const name of drop) params.delete(name);
  return params;
}

export interface PageState {
  limit: number;
  offset: number;
  matched: number;
  returned: number;
}

/**
 * self, next and prev for one page of items. Every other query parameter (bbox, filters, f) is
 * carried over unchanged, so following `next` pages through the same result set; `next` is
 * omitted on the last page, which is how GDAL knows to stop.
 */
export function pageLinks(request: FastifyRequest, itemsUrl: string, p: PageState): Link[] {
  const at = (offset: number) => {
    const q = keptQuery(request, ['limit', 'offset']);
    q.set('limit', String(p.limit));
    if (offset > 0) q.set('offset', String(offset));
    return `${itemsUrl}?${q.toString()}`;
  };
  const links = [link(at(p.offset), 'self', GEOJSON_TYPE, 'this page')];
  if (p.offset + p.returned < p.matched) links.push(link(at(p.offset + p.limit), 'next', GEOJSON_TYPE, 'next page'));
  if (p.offset > 0) links.push(link(at(Math.max(0, p.offset - p.limit)), 'prev', GEOJSON_TYPE, 'previous page'));
  return links;
}
