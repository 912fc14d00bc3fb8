import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A weak ETag for a layer response: the revisions of the tables it reads, the normalised query
 * and what the caller may see. Same inputs, same bytes; any write bumps a revision.
 */
export function layerEtag(revision: string, parts: readonly unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify([revision, ...parts])).digest('base64url').slice(0, 27);
  return `W/"${hash}"`;
}

/** Sets the ETag; answers 304 and returns true when the client's copy is current. */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  reply.header('cache-control', 'private, no-cache');
  reply.header('vary', 'accept-encoding, cookie, authorization');
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/** The strong ETag of one editable record: its id and version. */
export const recordEtag = (kind: string, id: number, version: number) => `"${kind}-${id}-v${version}"`;

/** Parses If-Match into the version it names for this record; null when it names another record. */
export function versionFromIfMatch(header: string | undefined, kind: string, id: number): number | null | undefined {
  if (header === undefined) return undefined;
  const m = new RegExp(`^(?:W/)?"${kind}-${id}-v(\\d+)"$`).exec(header.trim());
  return m ? Number(m[1]) : null;
}
