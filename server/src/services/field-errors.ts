import type { FieldError } from '@ilk/core';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: object;
}

/**
 * ajv's errors as one entry per field: ajv reports each branch of an anyOf ("string or null")
 * separately, and the first specific message is the useful one; a schema choosing its branch
 * with if/then/else adds a "must match then schema" line that says nothing the branch does not. Body fields are JSON pointers;
 * query, path and header fields (`context` other than body) are named plainly.
 */
export function fieldErrors(errors: readonly AjvError[], context?: string): FieldError[] {
  const byField = new Map<string, string>();
  for (const e of errors) {
    const params = e.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
    const extra = params.missingProperty ?? params.additionalProperty;
    const pointer = extra ? `${e.instancePath}/${extra}` : e.instancePath || '/';
    const field = !context || context === 'body' ? pointer : pointer.replace(/^\//, '');
    let message = e.message ?? 'is invalid';
    if (params.additionalProperty) message = 'is not a known field';
    if (params.allowedValues && params.allowedValues.length <= 12) message = `must be one of ${params.allowedValues.join(', ')}`;
    // anyOf and if/then/else name no field of their own; their branches' errors do.
    if (!byField.has(field) && e.keyword !== 'anyOf' && e.keyword !== 'if') byField.set(field, message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
