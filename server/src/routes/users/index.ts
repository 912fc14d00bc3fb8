import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  PasswordResetInput, UserAccount, UserCreateInput, UserIdParams, UserList, UserPatchInput,
  type PasswordResetInput as PasswordResetInputT, type UserCreateInput as UserCreateInputT, type UserPatchInput as UserPatchInputT,
} from '@ilk/core/schemas/users';
import { ADMINS } from '../../plugins/auth.ts';
import * as users from '../../repositories/users.repository.ts';
import { recordEtag } from '../../services/etag.ts';
import { createAccount, readAccount, resetPassword, updateAccount } from '../../services/users.service.ts';

const withEtag = (reply: FastifyReply, account: UserAccount) => reply.header('etag', recordEtag('user', account.id, account.version));

export default async function userRoutes(app: FastifyInstance) {
  app.get('/', { config: { roles: ADMINS }, schema: { tags: ['users'], summary: 'All accounts (admins only)', response: { 200: UserList } } }, async () => ({
    users: await users.listAccounts(app.db),
  }));

  app.get('/:id', { config: { roles: ADMINS }, schema: { tags: ['users'], summary: 'One account', params: UserIdParams, response: { 200: UserAccount } } }, async (request, reply) => {
    const account = await readAccount(app.db, (request.params as { id: number }).id);
    return withEtag(reply, account).send(account);
  });

  app.post('/', {
    config: { roles: ADMINS },
    schema: { tags: ['users'], summary: 'Create an account with an initial password', body: UserCreateInput, response: { 201: UserAccount } },
  }, async (request, reply) => {
    const account = await createAccount(app.db, request.user!, request, request.body as UserCreateInputT);
    return withEtag(reply.code(201).header('location', `/api/users/${account.id}`), account).send(account);
  });

  app.patch('/:id', {
    config: { roles: ADMINS },
    schema: { tags: ['users'], summary: 'Change role, Kreise, name, organisation or active (If-Match required)', params: UserIdParams, body: UserPatchInput, response: { 200: UserAccount } },
  }, async (request, reply) => {
    const account = await updateAccount(app.db, request.user!, request, (request.params as { id: number }).id, request.body as UserPatchInputT);
    return withEtag(reply, account).send(account);
  });

  app.post('/:id/password', {
    config: { roles: ADMINS },
    schema: { tags: ['users'], summary: 'Set a new password; ends the user\'s sessions and revokes their tokens', params: UserIdParams, body: PasswordResetInput, response: { 200: UserAccount } },
  }, async (request, reply) => {
    const account = await resetPassword(app.db, request.user!, request, (request.params as { id: number }).id, request.body as PasswordResetInputT);
    return withEtag(reply, account).send(account);
  });
}
