import type { CurrentUser } from '@ilk/core';
import { getJson, request } from './client.ts';

export type { CurrentUser };

export async function login(email: string, password: string, signal?: AbortSignal): Promise<CurrentUser> {
  return (await request<CurrentUser>('POST', '/api/auth/login', { body: { email, password }, signal })).data;
}

export const me = (signal?: AbortSignal) => getJson<CurrentUser>('/api/auth/me', signal);

export async function logout(): Promise<void> {
  await request<void>('POST', '/api/auth/logout');
}

/** An API token of the logged-in user, as the list shows it (the secret itself is never listed). */
export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const listTokens = (signal?: AbortSignal) => getJson<ApiToken[]>('/api/auth/tokens', signal);

/** Creates a token; the answer carries the secret once, and no later call returns it again. */
export async function createToken(name: string): Promise<ApiToken & { token: string }> {
  return (await request<ApiToken & { token: string }>('POST', '/api/auth/tokens', { body: { name } })).data;
}

export async function revokeToken(id: number): Promise<void> {
  await request<void>('DELETE', `/api/auth/tokens/${id}`);
}
