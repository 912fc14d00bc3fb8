import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { ProblemType } from '@ilk/core';

/**
 * Overload degrades into fast 503s instead of collapse: when the event loop lags or the
 * heap grows past its limits, new requests are refused with problem+json and Retry-After
 * until the process has caught up. Limits come from the configuration (see README).
 */
export default fp(
  async function overload(app: FastifyInstance) {
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.maxEventLoopDelayMs,
      maxHeapUsedBytes: app.config.maxHeapUsedBytes,
      retryAfter: 5,
      pressureHandler: (request, reply, type) => {
        request.log.warn({ type }, 'under pressure: refusing the request');
        reply
          .code(503)
          .header('retry-after', '5')
          .header('content-type', 'application/problem+json; charset=utf-8')
          .send(JSON.stringify({ type: ProblemType.unavailable, title: 'Service unavailable', status: 503, detail: 'the server is overloaded; try again shortly', instance: request.url, request_id: request.id }));
      },
    });
  },
  { name: 'overload' },
);
