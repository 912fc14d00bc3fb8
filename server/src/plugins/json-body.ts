import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../errors.ts';

type Done = (err: Error | null, body?: unknown) => void;
type BufferParser = (request: FastifyRequest, body: Buffer, done: Done) => void;

/**
 * A JSON body parser that is strict about the encoding and says what is wrong. Fastify's
 * default decodes bytes lossily, so Latin-1 "Köln" was stored as "K\uFFFDln"; JSON is UTF-8
 * (RFC 8259), so other bytes are refused. The syntax check itself (and the refusal of
 * __proto__ and constructor.prototype keys) stays Fastify's; only its message is made specific.
 */
export function strictJsonParser(app: FastifyInstance): BufferParser {
  const secure = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      done(badRequest('the body is not valid UTF-8; JSON must be sent as UTF-8 (RFC 8259)', [{ field: '/', message: 'is not valid UTF-8' }]));
      return;
    }
    secure(request, text, (err: Error | null, parsed?: unknown) => {
      if (!err || text.length === 0) return done(err, parsed);
      let reason = 'it contains a __proto__ or constructor.prototype key';
      try {
        JSON.parse(text);
      } catch (syntax) {
        reason = (syntax as Error).message;
      }
      done(badRequest(`the body is not valid JSON: ${reason}`, [{ field: '/', message: 'is not valid JSON' }]));
    });
  };
}

/** Replaces Fastify's application/json parser for the whole app. */
export default fp(
  async function jsonBody(app: FastifyInstance) {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, strictJsonParser(app));
  },
  { name: 'json-body', dependencies: ['problem-details'] },
);
