import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemType, type Problem } from '@ilk/core';
import { DatabaseUnavailableError } from '../db/index.ts';
import { HttpProblem } from '../errors.ts';
import { fieldErrors } from '../services/field-errors.ts';
import { isClientAbort, mediaType } from './request-body.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

function send(reply: FastifyReply, request: FastifyRequest, problem: Problem, members: Record<string, unknown> = {}) {
  return reply
    .code(problem.status)
    .header('content-type', PROBLEM_JSON)
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ ...members, ...problem, instance: request.url, request_id: request.id }));
}

// Maps PostgreSQL constraint violations that bad input can still reach to 4xx.
function fromDatabase(err: { code?: string; message: string }): Problem | undefined {
  if (err.code === '23505') return { type: ProblemType.conflict, title: 'Conflict', status: 409, detail: 'a record with this key exists already' };
  if (err.code === '23503' || err.code === '23514' || err.code === '22P02' || err.code === '22023') {
    return { type: ProblemType.validation, title: 'Invalid request', status: 400, detail: err.message };
  }
  // PostgreSQL text and jsonb cannot hold U+0000; JSON ("\u0000") and query strings ("%00") can.
  if (err.code === '22021' || err.code === '22P05') {
    return { type: ProblemType.validation, title: 'Invalid request', status: 400, detail: 'text must not contain the NUL character (U+0000)' };
  }
  return undefined;
}

/** 415 naming the media types this route parses (RFC 9110 §15.5.16; Accept-Post/-Patch say it too). */
function unsupported(request: FastifyRequest, reply: FastifyReply) {
  const accepts = request.routeOptions.config.accepts ?? [];
  const sent = mediaType(request);
  if (request.method === 'PATCH') reply.header('accept-patch', accepts.join(', '));
  if (request.method === 'POST') reply.header('accept-post', accepts.join(', '));
  const detail = `${sent ? `the media type ${sent}` : 'a body without a content type'} is not accepted here; send ${accepts.join(', ') || 'no body'}`;
  return send(reply, request, { type: ProblemType.unsupportedMediaType, title: 'Unsupported media type', status: 415, detail }, { accepted: accepts });
}

/** One error handler for the whole app: every error leaves as RFC 9457 problem+json. */
export default fp(
  async function problemDetails(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpProblem) {
        return send(reply, request, { type: error.type, title: error.title, status: error.status, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) }, error.members);
      }
      if (error.validation) {
        const errors = fieldErrors(error.validation, error.validationContext);
        return send(reply, request, { type: ProblemType.validation, title: 'Invalid request', status: 400, detail: errors.map((e) => `${e.field} ${e.message}`).join('; '), errors });
      }
      if (error instanceof DatabaseUnavailableError) {
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', '5');
        return send(reply, request, { type: ProblemType.unavailable, title: 'Service unavailable', status: 503, detail: 'the database is not available; try again shortly' });
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupported(request, reply);
      // A client that closed its connection is no server error, and no one reads the answer.
      if (isClientAbort(error, request)) {
        request.log.info({ code: error.code, message: error.message }, 'client closed the request');
        return send(reply, request, { type: ProblemType.validation, title: 'Invalid request', status: 400, detail: 'the client closed the request' });
      }
      const db = fromDatabase(error as { code?: string; message: string });
      if (db) return send(reply, request, db);
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status < 500) {
        const type = status === 413 ? ProblemType.payloadTooLarge : status === 415 ? ProblemType.unsupportedMediaType : status === 429 ? ProblemType.tooManyRequests : ProblemType.validation;
        const title = status === 413 ? 'Payload too large' : status === 415 ? 'Unsupported media type' : status === 429 ? 'Too many requests' : 'Invalid request';
        return send(reply, request, { type, title, status, detail: error.message });
      }
      // 5xx: log everything, tell the client nothing internal.
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, request, { type: ProblemType.internal, title: 'Internal server error', status: 500, detail: 'an unexpected error occurred; quote the request id when reporting it' });
    });
    app.setNotFoundHandler((request, reply) =>
      send(reply, request, { type: ProblemType.notFound, title: 'Not found', status: 404, detail: `no route for ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'problem-details' },
);
