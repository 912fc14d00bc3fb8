import argon2 from 'argon2';

// argon2id with the library's defaults (64 MiB, 3 passes): OWASP's recommended family.
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// A fixed hash verified when the e-mail is unknown, so a login takes as long either way and
// the response time does not tell which addresses have accounts.
let dummy: Promise<string> | undefined;

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummy ??= hashPassword('not-a-real-password-for-timing');
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

export const PASSWORD_MIN_LENGTH = 10;

/** The password policy for real accounts: length beats composition rules (NIST SP 800-63B). */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (password.length > 200) problems.push('must be at most 200 characters long');
  if (password.toLowerCase() === email.toLowerCase() || password.toLowerCase().includes(email.split('@')[0]!.toLowerCase())) {
    problems.push('must not contain the e-mail address');
  }
  if (/^(.)\1+$/.test(password)) problems.push('must not repeat one character');
  return problems;
}
