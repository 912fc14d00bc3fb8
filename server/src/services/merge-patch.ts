import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { FieldError } from '@ilk/core';
import { applyMergePatch, mergePatchPointers } from '@ilk/core/merge-patch';
import { badRequest } from '../errors.ts';
import { strictJsonParser } from '../plugins/json-body.ts';
import { fieldErrors } from './field-errors.ts';
import { requiredVersion, stale } from './versioned.ts';

export const MERGE_PATCH = 'application/merge-patch+json';

/**
 * How a record's document (as GET returns it) relates to its PUT body. A merge patch is applied
 * to the GET document; the members listed in readOnly cannot be patched (400 naming them), the
 * rest becomes the PUT body, which is validated by PUT's own schema.
 */
export interface PatchTarget {
  kind: string;
  /** PUT's body schema. */
  schema: TSchema;
  /** JSON pointers into the GET document that are read-only (id, version, timestamps, derived names). */
  readOnly: readonly string[];
  /** The patched GET document, read-only members removed, as the PUT body. Identity when both have one shape. */
  toBody?: (doc: Record<string, unknown>) => unknown;
  /** A field of the PUT body (JSON pointer) as the client wrote it in the GET document's shape. */
  docPointer?: (bodyPointer: string) => string;
}

/** The plugin given here parses application/merge-patch+json (strictly, as JSON) and nothing else. */
export function mergePatchOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(MERGE_PATCH, { parseAs: 'buffer' }, strictJsonParser(app));
}

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function at(doc: unknown, pointer: string): { parent: unknown; key: string } {
  const parts = pointer.split('/').slice(1).map(unescape);
  let parent: unknown = doc;
  for (const p of parts.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[p] : undefined;
  return { parent, key: parts[parts.length - 1]! };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The PUT body that results from applying the request's merge patch to `current` (the document GET
 * returns). Checks If-Match first (428 without it, 412 when it names another version than the
 * current one), then refuses members that are read-only or unknown, then validates the result with
 * the strict body validator; every field is named as a JSON pointer into the GET document.
 */
export function patchedBody<T>(request: FastifyRequest, id: number, current: object, currentVersion: number, target: PatchTarget): T {
  const version = requiredVersion(request, target.kind, id);
  if (version !== currentVersion) throw stale(target.kind, id);
  const patch = request.body;
  const readOnly = new Set(target.readOnly);
  const errors: FieldError[] = [];
  for (const pointer of mergePatchPointers(patch)) {
    if (readOnly.has(pointer)) {
      errors.push({ field: pointer, message: 'is read-only; it cannot be patched' });
      continue;
    }
    // A member of an object the document has must be one of that object's members.
    const { parent, key } = at(current, pointer);
    if (isObject(parent) && !Object.hasOwn(parent, key) && !errors.some((e) => pointer.startsWith(`${e.field}/`))) {
      errors.push({ field: pointer, message: 'is not a known field' });
    }
  }
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);

  const merged = structuredClone(applyMergePatch(current, patch));
  if (!isObject(merged)) throw badRequest('a merge patch must be a JSON object', [{ field: '/', message: 'must be object' }]);
  for (const pointer of target.readOnly) {
    const { parent, key } = at(merged, pointer);
    if (isObject(parent)) delete parent[key];
  }
  const body = target.toBody ? target.toBody(merged) : merged;
  const check = request.compileValidationSchema(target.schema, 'body');
  if (!check(body)) {
    const map = target.docPointer ?? ((p: string) => p);
    const invalid = fieldErrors(check.errors ?? []).map((e) => ({ field: map(e.field), message: e.message }));
    throw badRequest(invalid.map((e) => `${e.field} ${e.message}`).join('; '), invalid);
  }
  return body as T;
}

/** Pointers to the members of `properties` that the PUT body's `writable` object schema does not have. */
export function readOnlyProperties(properties: object, writable: readonly string[]): string[] {
  return Object.keys(properties).filter((k) => !writable.includes(k)).map((k) => `/properties/${k}`);
}

/** The PATCH route's body in the OpenAPI document: any JSON object, applied as RFC 7396 says. */
export const MergePatchBody = { type: 'object', additionalProperties: true, description: 'a JSON Merge Patch (RFC 7396) of the document GET returns; null removes an optional field, arrays replace, objects merge' } as const;
