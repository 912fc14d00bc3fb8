// What changed between two versions of a record, for the "Verlauf" of offers, needs, capacity
// reports, providers and plans and for the audit log's CSV. The audit log stores whole
// snapshots (before/after); the diff is computed here, once, for server and client alike.

export interface FieldChange {
  /** Dotted path of the field: `name`, `geometry.coordinates`, `opening.mo`. */
  field: string;
  /** null when the field was added (or was null). */
  from: unknown;
  /** null when the field was removed (or is null now). */
  to: unknown;
  /** Set for secrets: that the field changed is shown, its values never are. */
  hidden?: true;
}

export interface DiffOptions {
  /** Fields (dotted paths or top-level names) left out of the diff entirely. */
  ignore?: readonly string[];
}

/** Bookkeeping that changes with every write and says nothing about the record. */
export const NOISE_FIELDS: readonly string[] = ['version', 'updated_at', 'etag', 'event_id'];

// Password hashes, session ids, token hashes, CSRF tokens: never shown, also not to admins.
const SECRET = /(password|passwd|secret|token|hash|csrf|api_key|apikey)/i;
export const isSecretField = (field: string): boolean => SECRET.test(field.split('.').at(-1) ?? field);

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A GeoJSON Feature is shown by its properties (as the form shows it) plus its geometry;
 * `type` and `id` are the envelope, not fields a user edits.
 */
function unwrap(v: unknown): unknown {
  if (isPlain(v) && v.type === 'Feature' && isPlain(v.properties)) {
    return { ...v.properties, geometry: v.geometry ?? null };
  }
  return v;
}

/** Structural equality of JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isPlain(a) && isPlain(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Objects are descended into, so a changed opening hour reads `opening.mo`; arrays are one value
 * each (a list of languages from [de] to [de, en] is clearer than per-index changes); absent and
 * null are both shown as null, but a field that is null on both sides is no change.
 */
export function diff(before: unknown, after: unknown, options: DiffOptions = {}): FieldChange[] {
  const ignore = new Set([...NOISE_FIELDS, ...(options.ignore ?? [])]);
  const changes: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (path && (ignore.has(path) || ignore.has(path.split('.')[0]!))) return;
    if (isPlain(a) || isPlain(b)) {
      if (isPlain(a) && isPlain(b) || (a == null || b == null)) {
        const ao = isPlain(a) ? a : {};
        const bo = isPlain(b) ? b : {};
        const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
        // An object that appears or disappears as a whole is still listed field by field.
        if (keys.length > 0) {
          for (const k of keys) walk(ao[k], bo[k], path ? `${path}.${k}` : k);
          return;
        }
      }
    }
    if (jsonEqual(a ?? null, b ?? null)) return;
    if (path && isSecretField(path)) changes.push({ field: path, from: null, to: null, hidden: true });
    else changes.push({ field: path || '(value)', from: a ?? null, to: b ?? null });
  };
  walk(unwrap(before), unwrap(after), '');
  return changes;
}

/** Drops secret fields from a snapshot (nested too), for a raw view of an audit entry. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!isPlain(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET.test(k)).map(([k, v]) => [k, redact(v)]));
}

/** One change as a line of text (the CSV column "changes", the title of a list item). */
export function formatChange(c: FieldChange): string {
  if (c.hidden) return `${c.field}: (hidden)`;
  const show = (v: unknown) => (v === null ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
  return `${c.field}: ${show(c.from)} → ${show(c.to)}`;
}
