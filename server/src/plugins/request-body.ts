import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types this route has a body parser for; set at registration, named by a 415. */
    accepts?: readonly string[];
  }
}

/** Every body media type the app parses somewhere; each route accepts those its plugin registered. */
export const BODY_MEDIA_TYPES = [
  'application/json',
  'application/merge-patch+json',
  'application/geo+json',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/** The request's media type without parameters, lower case; '' when none was sent. */
export const mediaType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

// Errors of a request stream whose client went away: nothing is wrong with the server.
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_DESTROYED', 'FST_ERR_CTP_BODY_INCOMPLETE']);

/**
 * True when the error comes from the request's own stream because the client closed the
 * connection. Both must hold: a database's ECONNRESET while the client still waits is a server error.
 */
export function isClientAbort(error: { code?: string; message?: string }, request: FastifyRequest): boolean {
  const gone = request.raw.destroyed || request.raw.socket?.destroyed === true;
  return gone && ((error.code !== undefined && CLIENT_GONE.has(error.code)) || error.message === 'aborted' || /premature close/i.test(error.message ?? ''));
}

/**
 * What the app does with request bodies before a handler sees them:
 * - each route records the media types it has a parser for, so a 415 can name them;
 * - `Expect: 100-continue` is answered only once the body is wanted: a body larger than the
 *   route's limit gets its 413 at once, before the client uploads it. Node would otherwise send
 *   "100 Continue" itself, the client would start the upload, and the 413 would meet a client
 *   still writing (curl then reports a reset connection instead of the answer).
 */
export default fp(
  async function requestBody(app: FastifyInstance) {
    // Fastify parses text/plain by default; no route takes text, so a text body is refused as a
    // media type (415) rather than reported as a JSON body of the wrong type.
    app.removeContentTypeParser('text/plain');

    app.addHook('onRoute', function (this: FastifyInstance, route) {
      route.config = { ...route.config, accepts: BODY_MEDIA_TYPES.filter((t) => this.hasContentTypeParser(t)) };
    });

    const expecting = new WeakSet<IncomingMessage>();
    app.server.on('checkContinue', (req, res) => {
      expecting.add(req);
      app.server.emit('request', req, res);
    });
    app.addHook('preParsing', async (request, reply, payload) => {
      if (!expecting.has(request.raw)) return payload;
      const length = Number(request.headers['content-length']);
      // Over the limit: no "100 Continue"; Fastify's own check answers 413 without reading, and
      // Node closes the connection after that answer, as the unsent body cannot follow.
      if (!(length > request.routeOptions.bodyLimit)) reply.raw.writeContinue();
      return payload;
    });
  },
  { name: 'request-body' },
);
