import type { PasswordResetInput, UserAccount, UserCreateInput, UserPatchInput } from '@ilk/core/schemas/users';
import { getJson, request } from './client.ts';

export type { UserAccount, UserCreateInput, UserPatchInput };

// Accounts, for admins. An edit names the version it was based on (If-Match), so one admin's
// change is never silently overwritten by another's.

export const userEtag = (u: Pick<UserAccount, 'id' | 'version'>): string => `"user-${u.id}-v${u.version}"`;

export async function listUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return (await getJson<{ users: UserAccount[] }>('/api/users', signal)).users;
}

export async function createUser(input: UserCreateInput): Promise<UserAccount> {
  return (await request<UserAccount>('POST', '/api/users', { body: input })).data;
}

export async function updateUser(user: UserAccount, patch: UserPatchInput): Promise<UserAccount> {
  return (await request<UserAccount>('PATCH', `/api/users/${user.id}`, { body: patch, ifMatch: userEtag(user) })).data;
}

export async function resetPassword(id: number, password: PasswordResetInput['password']): Promise<UserAccount> {
  return (await request<UserAccount>('POST', `/api/users/${id}/password`, { body: { password } })).data;
}

/** A strong random password for the admin to hand over: 18 characters from an unambiguous set. */
export function generatePassword(length = 18): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
