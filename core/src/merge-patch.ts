/**
 * JSON Merge Patch, RFC 7396 (content type application/merge-patch+json): a patch object names
 * the members to change; null removes a member, an object merges into the member recursively,
 * anything else (arrays included) replaces it. A patch that is not an object replaces the whole
 * target. Pure: neither argument is modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = {};
  if (isObject(target)) for (const [k, v] of Object.entries(target)) define(result, k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else define(result, k, applyMergePatch(Object.hasOwn(result, k) ? result[k] : undefined, v));
  }
  return result;
}

/**
 * Every member a merge patch names, as JSON pointers (RFC 6901), parents before children:
 * `{"properties": {"name": "x"}}` names /properties and /properties/name.
 */
export function mergePatchPointers(patch: unknown, prefix = ''): string[] {
  if (!isObject(patch)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const pointer = `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    out.push(pointer, ...mergePatchPointers(v, pointer));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A plain assignment of "__proto__" would set the prototype instead of a member.
function define(o: Record<string, unknown>, k: string, v: unknown) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
