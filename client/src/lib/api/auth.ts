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
