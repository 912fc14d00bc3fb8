import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemType, type Role } from '@ilk/core';
import { HttpProblem } from '../errors.ts';
import * as sessions from '../repositories/sessions.repository.ts';
import * as tokens from '../repositories/tokens.repository.ts';
import { sha256 } from '../services/secrets.ts';
import { PrincipalCache } from '../services/principal-cache.ts';
import { followAccessChanges } from '../services/access-listener.ts';

export const SESSION_COOKIE = 'ilk_session';
export const SESSION_TTL_SECONDS = 12 * 3600;
export const SESSION_IDLE_SECONDS = 2 * 3600;

/**
 * SESSION_CACHE_SECONDS when it is not set, on both backends. The embedded database has one
 * process (pid file), which forgets at every change of access itself; on PostgreSQL each process
 * also hears of changes made by the others (services/access-listener.ts).
 */
export const SESSION_CACHE_DEFAULT_SECONDS = 5;

export type AuthUser = sessions.Principal & { via: 'session' | 'token'; csrf_token?: string; session_hash?: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** Sessions and tokens resolved recently (services/principal-cache.ts); forget on every change of access. */
    principals: PrincipalCache<AuthUser>;
  }
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

// Cache keys: a session's and a token's hashes cannot collide, but the prefix says which is which.
export const sessionKey = (hash: string) => `s:${hash}`;
const tokenKey = (hash: string) => `t:${hash}`;

// Shared by every request of that session until it expires from the cache: frozen, so that no
// handler can change what the next request sees.
const frozen = (user: AuthUser) => Object.freeze({ ...user, districts: Object.freeze([...user.districts]) as string[] });

async function resolveUser(app: FastifyInstance, request: FastifyRequest): Promise<AuthUser | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
    const hash = match ? sha256(match[1]!) : undefined;
    const user = hash && await app.principals.get(tokenKey(hash), async () => {
      const principal = await tokens.findPrincipal(app.db, hash);
      return principal && { value: frozen({ ...principal, via: 'token' }) };
    });
    if (!user) throw new HttpProblem(401, ProblemType.unauthenticated, 'Unauthenticated', 'the API token is invalid or revoked');
    return user;
  }
  const sid = request.cookies[SESSION_COOKIE];
  if (!sid) return null;
  const hash = sha256(sid);
  const user = await app.principals.get(sessionKey(hash), async () => {
    const found = await sessions.find(app.db, hash, SESSION_IDLE_SECONDS);
    if (!found) return undefined;
    const { csrf_token, expires_ms, ...principal } = found;
    return { value: frozen({ ...principal, via: 'session', csrf_token, session_hash: hash }), expiresAt: expires_ms };
  });
  return user ?? null;
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
    const seconds = app.config.sessionCacheSeconds ?? SESSION_CACHE_DEFAULT_SECONDS;
    app.decorate('principals', new PrincipalCache<AuthUser>(seconds * 1000));
    if (app.db.kind === 'postgres' && seconds > 0) {
      const db = app.db;
      if (db.listen) {
        const stop = await followAccessChanges({ listen: db.listen.bind(db) }, app.principals, app.log);
        app.addHook('onClose', stop);
      } else if (app.config.sessionCacheSeconds === null) {
        // A database that cannot notify this process (a wrapper in tests): nothing would keep the cache true.
        app.principals.suspend();
      }
    }

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
