import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

// Reject unknown fields instead of silently dropping them, and report every bad field at once.
const SHARED = { removeAdditional: false, allErrors: true, useDefaults: true } as const;

type BuildValidator = (externalSchemas: unknown, options: { customOptions: object; [key: string]: unknown }) =>
  (route: { schema: unknown; method: string; url: string; httpPart?: string }) => unknown;

/**
 * Two ajv instances, chosen per HTTP part. Query strings, path parameters and headers arrive as
 * text, so they keep Fastify's coercion ("10" is 10, `a` is ["a"]). A JSON body already carries
 * its types: coercing it would compute `"n": null` as 0 and `true` as 1 and accept
 * `["9.8", "54.3"]` as coordinates, so the body is validated as sent (docs/limits.md).
 * request.compileValidationSchema(schema, 'body') gets the strict one too.
 */
export const schemaController = {
  compilersFactory: {
    buildValidator: ((externalSchemas, options) => {
      const build = AjvCompiler() as unknown as BuildValidator;
      const text = build(externalSchemas, { ...options, customOptions: { ...options.customOptions, ...SHARED, coerceTypes: 'array' } });
      const json = build(externalSchemas, { ...options, customOptions: { ...options.customOptions, ...SHARED, coerceTypes: false } });
      return (route) => (route.httpPart === 'body' ? json(route) : text(route));
    }) as BuildValidator,
  },
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;
