import { ProblemType } from '@ilk/core';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors.ts';
import { versionFromIfMatch } from './etag.ts';

/**
 * The version an update or delete is based on, from If-Match: 428 without the header (a blind
 * overwrite is never allowed), 412 when it names another state than a version of this record.
 */
export function requiredVersion(request: FastifyRequest, kind: string, id: number): number {
  const version = versionFromIfMatch(request.headers['if-match'], kind, id);
  if (version === undefined) {
    throw new HttpProblem(428, ProblemType.preconditionRequired, 'Precondition required', 'send If-Match with the ETag you read, so no one else\'s change is overwritten');
  }
  if (version === null) throw stale(kind, id);
  return version;
}

export const stale = (kind: string, id: number | string) =>
  new HttpProblem(412, ProblemType.preconditionFailed, 'Precondition failed', `${kind} ${id} was changed by someone else since you read it; reload and apply your change again`);
