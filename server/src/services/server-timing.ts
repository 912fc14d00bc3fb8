import type { FastifyReply } from 'fastify';

/**
 * Times one database statement of a request and reports it in a `Server-Timing` header
 * (W3C Server Timing: browsers' developer tools show it beside the request). A tile's time over
 * HTTP minus this figure is what the app and HTTP added to the statement, measured on the same
 * request (the layers bench reads it).
 */
export async function timedStatement<T>(reply: FastifyReply, name: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    reply.header('server-timing', `${name};dur=${(performance.now() - start).toFixed(3)}`);
  }
}

/** The duration of the named metric in a `Server-Timing` header, in milliseconds; null if absent. */
export function serverTimingDuration(header: string | null | undefined, name: string): number | null {
  for (const metric of (header ?? '').split(',')) {
    const [key, ...params] = metric.trim().split(';');
    if (key !== name) continue;
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    return dur ? Number(dur.slice(4)) : null;
  }
  return null;
}
