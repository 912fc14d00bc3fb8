import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemType, type Role } from '@ilk/core';
import { HttpProblem } from '../errors.ts';
import * as sessions from '../repositories/sessions.repository.ts';
import * as tokens from '../repositories/tokens.repository.ts';
import { sha256 } from '../services/secrets.ts';

export const SESSION_COOKIE = 'ilk_session';
export const SESSION_TTL_SECONDS = 12 * 3600;
export const SESSION_IDLE_SECONDS = 2 * 3600;

export type AuthUser = sessions.Principal & { via: 'session' | 'token'; csrf_token?: string; session_hash?: string };

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in. */
    public?: boolean;
    /** Roles allowed; a route that names neither this nor `public` is closed to everyone. */
    roles?: readonly Role[];
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function resolveUser(app: FastifyInstance, request: FastifyRequest): Promise<AuthUser | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
    const principal = match ? await tokens.findPrincipal(app.db, sha256(match[1]!)) : undefined;
    if (!principal) throw new HttpProblem(401, ProblemType.unauthenticated, 'Unauthenticated', 'the API token is invalid or revoked');
    return { ...principal, via: 'token' };
  }
  const sid = request.cookies[SESSION_COOKIE];
  if (!sid) return null;
  const hash = sha256(sid);
  const found = await sessions.find(app.db, hash, SESSION_IDLE_SECONDS);
  if (!found) return null;
  const { csrf_token, ...principal } = found;
  return { ...principal, via: 'session', csrf_token, session_hash: hash };
}

/**
 * Who is asking (session cookie or Bearer token), and may they? Deny by default: every route
 * states `config.public` or the roles it admits. Writes authenticated by cookie must echo the
 * session's CSRF token in `x-csrf-token` (SameSite alone does not cover every browser path).
 */
export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(cookie);
    app.decorateRequest('user', null);

    app.addHook('preHandler', async (request) => {
      const config = request.routeOptions.config;
      // Unmatched routes (404) and static files carry no roles and need no user.
      if (config.public || !request.routeOptions.url || request.is404) return;
      request.user = await resolveUser(app, request);
      const user = request.user;
      if (!user) throw new HttpProblem(401, ProblemType.unauthenticated, 'Unauthenticated', 'log in or send an API token');
      if (!config.roles?.includes(user.role)) {
        throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', `the role ${user.role} may not ${request.method} this resource`);
      }
      if (user.via === 'session' && UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== user.csrf_token) {
        throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', 'missing or wrong x-csrf-token header');
      }
    });
  },
  { name: 'auth', dependencies: ['problem-details'] },
);

/** Role sets used by the routes. */
export const READERS: readonly Role[] = ['admin', 'coordinator', 'ministry', 'analyst'];
export const EDITORS: readonly Role[] = ['admin', 'coordinator'];
export const ADMINS: readonly Role[] = ['admin'];
export const EVERYONE: readonly Role[] = ['admin', 'coordinator', 'ministry', 'analyst', 'partner'];
