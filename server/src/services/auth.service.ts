import type { Database } from '../db/index.ts';
import { ProblemType } from '@ilk/core';
import { HttpProblem } from '../errors.ts';
import * as users from '../repositories/users.repository.ts';
import * as sessions from '../repositories/sessions.repository.ts';
import * as failures from '../repositories/login-failures.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { verifyPassword } from './passwords.ts';
import { newSecret, sha256 } from './secrets.ts';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const LOGIN_MAX_FAILURES = 5;

export interface LoginResult {
  sessionId: string;
  user: { id: number; email: string; display_name: string | null; role: users.UserRow['role']; districts: string[]; csrf_token: string };
}

/**
 * Checks the password and opens a new session. Throttled per e-mail address in the database
 * (so it holds across app instances); the previous session of this browser is ended, so a
 * session id planted before login is worthless afterwards (session fixation).
 */
export async function login(db: Database, email: string, password: string, ttl: number, previousSession: string | undefined, requestId: string): Promise<LoginResult> {
  if ((await failures.recent(db, email, LOGIN_WINDOW_SECONDS)) >= LOGIN_MAX_FAILURES) {
    throw new HttpProblem(429, ProblemType.tooManyRequests, 'Too many requests', 'too many failed logins for this account; try again in 15 minutes');
  }
  const user = await users.findByEmail(db, email);
  const ok = await verifyPassword(user?.active ? user.password_hash : undefined, password);
  if (!user || !ok) {
    await failures.add(db, email);
    throw new HttpProblem(401, ProblemType.unauthenticated, 'Unauthenticated', 'wrong e-mail address or password');
  }
  const sessionId = newSecret();
  const csrf = newSecret();
  await db.transaction(async (tx) => {
    if (previousSession) await sessions.remove(tx, sha256(previousSession));
    await failures.clear(tx, email);
    await sessions.create(tx, sha256(sessionId), user.id, csrf, ttl);
    await audit.record(tx, { user_id: user.id, actor: user.email, action: 'login', entity: 'session', entity_id: null, request_id: requestId });
  });
  return {
    sessionId,
    user: { id: user.id, email: user.email, display_name: user.display_name, role: user.role, districts: user.districts, csrf_token: csrf },
  };
}
