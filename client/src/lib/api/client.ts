import type { Problem } from '@ilk/core';

/** A failed API call, carrying the server's problem+json so forms can show field errors. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({ type: 'about:blank', title: res.statusText, status: res.status }))) as Problem;
    throw new ApiError(problem);
  }
  return (await res.json()) as T;
}
