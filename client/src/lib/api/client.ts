import type { FieldError, Problem } from '@ilk/core';

/** A failed API call, carrying the server's problem+json so forms can show field errors. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }

  get status(): number {
    return this.problem.status;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

/** Aborted requests are not errors to show: a newer request replaced them. */
export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

export interface ApiResult<T> {
  data: T;
  etag: string | null;
}

type QueryValue = string | number | boolean | null | undefined;

/** Appends only the parameters that carry a value, so URLs stay short and cache keys stable. */
export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

// The session's CSRF token lives in memory only; the session cookie itself is HttpOnly.
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session has ended (expiry, logout elsewhere). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  ifMatch?: string;
  /** A body sent as is (a file upload) with its content type, instead of JSON. */
  raw?: { body: Blob; type: string };
}

async function problemOf(res: Response): Promise<Problem> {
  const fallback: Problem = { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status };
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return fallback;
  return (await res.json().catch(() => fallback)) as Problem;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/geo+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  else if (opts.raw) headers['content-type'] = opts.raw.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      signal: opts.signal,
      body: opts.body === undefined ? opts.raw?.body : JSON.stringify(opts.body),
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: (e as Error).message });
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && path !== '/api/auth/login') onUnauthenticated?.();
    throw new ApiError(problem);
  }
  const etag = res.headers.get('etag');
  if (res.status === 204) return { data: undefined as T, etag };
  return { data: (await res.json()) as T, etag };
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>('GET', path, { signal })).data;
}

/**
 * The strong ETag of an editable record as the server forms it ("offer-12-v3"). A list already
 * carries each record's version, so an edit from a list can state what it was based on without
 * a second read (which would hide a concurrent change instead of detecting it).
 */
export const recordEtag = (kind: 'offer' | 'need', id: number, version: number): string => `"${kind}-${id}-v${version}"`;
