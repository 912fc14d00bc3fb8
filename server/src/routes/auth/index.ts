import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CurrentUser, LoginInput, TokenInput, Id } from '@ilk/core';
import { EVERYONE, READERS, SESSION_COOKIE, SESSION_TTL_SECONDS, sessionKey } from '../../plugins/auth.ts';
import { login } from '../../services/auth.service.ts';
import * as sessions from '../../repositories/sessions.repository.ts';
import * as tokens from '../../repositories/tokens.repository.ts';
import * as audit from '../../repositories/audit.repository.ts';
import { newSecret, sha256 } from '../../services/secrets.ts';
import { notFound } from '../../errors.ts';

const TokenRow = Type.Object({ id: Type.Integer(), name: Type.String(), prefix: Type.String(), created_at: Type.Unsafe<string>({ type: 'string' }), last_used_at: Type.Union([Type.Unsafe<string>({ type: 'string' }), Type.Null()]), revoked_at: Type.Union([Type.Unsafe<string>({ type: 'string' }), Type.Null()]) });

export default async function authRoutes(app: FastifyInstance) {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: app.config.production, maxAge: SESSION_TTL_SECONDS };

  app.post('/login', {
    config: { public: true, rateLimit: { max: app.config.loginRateLimit, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: 'Log in; sets the session cookie', body: LoginInput, response: { 200: CurrentUser } },
  }, async (request, reply) => {
    const { email, password } = request.body as { email: string; password: string };
    const previous = request.cookies[SESSION_COOKIE];
    const result = await login(app.db, email, password, SESSION_TTL_SECONDS, previous, request.id);
    // The browser's previous session ended in the database; this process forgets it too.
    if (previous) app.principals.forget(sessionKey(sha256(previous)));
    reply.setCookie(SESSION_COOKIE, result.sessionId, cookieOptions);
    return result.user;
  });

  app.post('/logout', { config: { roles: EVERYONE }, schema: { tags: ['auth'], summary: 'End the session' } }, async (request, reply) => {
    const user = request.user!;
    if (user.session_hash) {
      await sessions.remove(app.db, user.session_hash);
      app.principals.forget(sessionKey(user.session_hash));
    }
    await audit.record(app.db, { user_id: user.user_id, actor: user.email, action: 'logout', entity: 'session', entity_id: null, request_id: request.id });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', { config: { roles: EVERYONE }, schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: CurrentUser } } }, async (request) => {
    const u = request.user!;
    return { id: u.user_id, email: u.email, display_name: u.display_name, role: u.role, districts: u.districts, csrf_token: u.csrf_token };
  });

  app.post('/tokens', {
    config: { roles: READERS },
    schema: { tags: ['auth'], summary: 'Create an API token (shown once)', body: TokenInput, response: { 201: Type.Intersect([TokenRow, Type.Object({ token: Type.String() })]) } },
  }, async (request, reply) => {
    const u = request.user!;
    const secret = newSecret();
    const row = await app.db.transaction(async (tx) => {
      const created = await tokens.create(tx, u.user_id, (request.body as { name: string }).name, sha256(secret), secret.slice(0, 6));
      await audit.record(tx, { user_id: u.user_id, actor: u.email, action: 'token_create', entity: 'api_token', entity_id: String(created.id), after: created, request_id: request.id });
      return created;
    });
    return reply.code(201).send({ ...row, token: secret });
  });

  app.get('/tokens', { config: { roles: READERS }, schema: { tags: ['auth'], summary: 'List my API tokens', response: { 200: Type.Array(TokenRow) } } }, async (request) =>
    tokens.list(app.db, request.user!.user_id),
  );

  app.delete('/tokens/:id', { config: { roles: READERS }, schema: { tags: ['auth'], summary: 'Revoke an API token', params: Type.Object({ id: Id }) } }, async (request, reply) => {
    const u = request.user!;
    const id = (request.params as { id: number }).id;
    const revoked = await app.db.transaction(async (tx) => {
      const row = await tokens.revoke(tx, id, u.user_id);
      if (row) await audit.record(tx, { user_id: u.user_id, actor: u.email, action: 'token_revoke', entity: 'api_token', entity_id: String(id), after: row, request_id: request.id });
      return row;
    });
    // The cache knows tokens by hash, not by id: drop all of the user's (the session reloads once).
    app.principals.forgetUser(u.user_id);
    if (!revoked) throw notFound(`token ${id}`);
    return reply.code(204).send();
  });
}
