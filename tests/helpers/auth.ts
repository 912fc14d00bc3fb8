import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '@ilk/core';

export const DEMO_PASSWORD = 'demo';
export const demoEmail = (role: Role) => `${role}@demo.local`;

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Logs in through the real route and returns what a browser would send back. */
export async function login(app: FastifyInstance, role: Role): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: demoEmail(role), password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login as ${role} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ilk_session')!;
  const csrf = (res.json() as { csrf_token: string }).csrf_token;
  return { cookie: `ilk_session=${cookie.value}`, csrf, headers: { cookie: `ilk_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

/** inject() as a logged-in user. */
export function as(app: FastifyInstance, s: Session) {
  return (opts: InjectOptions) => app.inject({ ...opts, headers: { ...s.headers, ...(opts.headers as Record<string, string> | undefined) } });
}
