import { ProblemType, type FieldError } from '@ilk/core';

/**
 * An error a handler throws on purpose; the problem-details plugin turns it into problem+json.
 * `members` are RFC 9457 extension members (for example the allocation engine's report of why
 * no allocation exists); they never replace the standard ones.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly members?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) => new HttpProblem(404, ProblemType.notFound, 'Not found', `${what} does not exist`);
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, ProblemType.validation, 'Invalid request', detail, errors);
