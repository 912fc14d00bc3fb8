import type { FastifyRequest } from 'fastify';
import { ProblemType, type FieldError, type Role } from '@ilk/core';
import type { PasswordResetInput, UserAccount, UserCreateInput, UserPatchInput } from '@ilk/core/schemas/users';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, badRequest, notFound } from '../errors.ts';
import * as users from '../repositories/users.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { hashPassword, passwordProblems } from './passwords.ts';
import { requiredVersion, stale } from './versioned.ts';

// Accounts managed by admins in the app. Every change is audited in the transaction that makes
// it; a deactivation or password reset ends the user's sessions and revokes their tokens in the
// same transaction, so nothing the user held before keeps working afterwards.

const conflict = (detail: string, errors?: FieldError[]) => new HttpProblem(409, ProblemType.conflict, 'Conflict', detail, errors);

const entry = (actor: AuthUser, request: FastifyRequest, action: audit.AuditAction, id: number, before?: unknown, after?: unknown): audit.AuditEntry => ({
  user_id: actor.user_id, actor: actor.email, action, entity: 'user', entity_id: String(id), before, after, request_id: request.id,
});

const fail = (errors: FieldError[]) => {
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
};

/** Rules a schema cannot state: coordinators have existing Kreise, partners an organisation. */
async function accessErrors(db: Queryable, role: Role, districts: readonly string[], organisation: string | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (role === 'coordinator') {
    if (!districts.length) errors.push({ field: '/districts', message: 'a coordinator needs at least one Kreis' });
    const known = await users.existingKreise(db, districts);
    districts.forEach((ars, i) => !known.has(ars) && errors.push({ field: `/districts/${i}`, message: 'names no Kreis in the database' }));
  } else if (districts.length) {
    errors.push({ field: '/districts', message: 'only coordinators have Kreise' });
  }
  if (role === 'partner' && !organisation) errors.push({ field: '/organisation', message: 'a partner account needs the organisation it reports for' });
  return errors;
}

const policyErrors = (password: string, email: string): FieldError[] =>
  passwordProblems(password, email).map((message) => ({ field: '/password', message }));

export async function readAccount(db: Queryable, id: number): Promise<UserAccount> {
  const account = await users.getAccount(db, id);
  if (!account) throw notFound(`user ${id}`);
  return account;
}

export async function createAccount(db: Database, actor: AuthUser, request: FastifyRequest, input: UserCreateInput): Promise<UserAccount> {
  const email = input.email.toLowerCase();
  const districts = input.districts ?? [];
  const organisation = input.organisation ?? null;
  fail([...policyErrors(input.password, email), ...(await accessErrors(db, input.role, districts, organisation))]);
  const hash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const id = await users.create(tx, { email, display_name: input.display_name ?? null, role: input.role, password_hash: hash, organisation });
    if (!id) throw conflict(`an account with the e-mail address ${email} exists already`, [{ field: '/email', message: 'is used by another account' }]);
    await users.addDistricts(tx, id, districts);
    const after = (await users.getAccount(tx, id))!;
    await audit.record(tx, entry(actor, request, 'create', id, undefined, after));
    return after;
  });
}

/** One active admin must remain, and an admin cannot lock themselves out. */
async function assertAdminsRemain(tx: Queryable, actor: AuthUser, before: UserAccount, next: users.AccountWrite): Promise<void> {
  const losesAdmin = before.role === 'admin' && before.active && (next.role !== 'admin' || !next.active);
  if (!losesAdmin) return;
  const admins = await users.lockActiveAdmins(tx);
  if (admins.filter((id) => id !== before.id).length === 0) {
    throw conflict('this is the last active admin account; make another account admin first', [{ field: next.active ? '/role' : '/active', message: 'the last active admin cannot be removed' }]);
  }
  if (before.id === actor.user_id) {
    throw conflict('admins cannot deactivate or demote their own account; another admin can', [{ field: next.active ? '/role' : '/active', message: 'not for your own account' }]);
  }
}

export async function updateAccount(db: Database, actor: AuthUser, request: FastifyRequest, id: number, input: UserPatchInput): Promise<UserAccount> {
  const version = requiredVersion(request, 'user', id);
  // Role, districts and deactivation apply to the user's next request: this process forgets the
  // principals it holds once the transaction has ended (committed or not).
  try {
    return await changeAccount(db, actor, request, id, version, input);
  } finally {
    request.server.principals.forgetUser(id);
  }
}

function changeAccount(db: Database, actor: AuthUser, request: FastifyRequest, id: number, version: number, input: UserPatchInput): Promise<UserAccount> {
  return db.transaction(async (tx) => {
    const before = await readAccount(tx, id);
    if (before.version !== version) throw stale('user', id);
    const next: users.AccountWrite = {
      display_name: input.display_name !== undefined ? input.display_name : before.display_name,
      role: input.role ?? before.role,
      organisation: input.organisation !== undefined ? input.organisation : before.organisation,
      active: input.active ?? before.active,
    };
    // Kreise belong to coordinators only: a role change away from coordinator drops them.
    const districts = next.role === 'coordinator' ? (input.districts ?? before.districts.map((d) => d.ars)) : (input.districts ?? []);
    fail(await accessErrors(tx, next.role, districts, next.organisation));
    await assertAdminsRemain(tx, actor, before, next);
    if (!(await users.updateAccount(tx, id, version, next))) throw stale('user', id);
    await users.replaceDistricts(tx, id, districts);
    if (before.active && !next.active) await users.endAccess(tx, id);
    const after = (await users.getAccount(tx, id))!;
    await audit.record(tx, entry(actor, request, 'update', id, before, after));
    return after;
  });
}

/**
 * The admin sets a new password (policy-checked) and hands it to the user; the user's sessions
 * end and their API tokens are revoked, as after a suspected compromise.
 */
export async function resetPassword(db: Database, actor: AuthUser, request: FastifyRequest, id: number, input: PasswordResetInput): Promise<UserAccount> {
  const target = await readAccount(db, id);
  fail(policyErrors(input.password, target.email));
  const hash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      if (!(await users.setPassword(tx, id, hash))) throw notFound(`user ${id}`);
      const ended = await users.endAccess(tx, id);
      const after = (await users.getAccount(tx, id))!;
      await audit.record(tx, entry(actor, request, 'update', id, { password_changed_at: target.password_changed_at }, { password_changed_at: after.password_changed_at, password_reset: true, sessions_ended: ended.sessions, tokens_revoked: ended.tokens }));
      return after;
    });
  } finally {
    request.server.principals.forgetUser(id);
  }
}
