import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from '../../server/src/services/passwords.ts';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('Fähre nach Föhr um acht', 'k.meier@kreis-rz.de')).toEqual([]);
  });

  it('names what is wrong with a weak password', () => {
    expect(passwordProblems('kurz', 'a@b.de')).toEqual(['must be at least 10 characters long']);
    expect(passwordProblems('k.meier-2026-sommer', 'k.meier@kreis-rz.de')).toEqual(['must not contain the e-mail address']);
    expect(passwordProblems('aaaaaaaaaaaa', 'x@y.de')).toEqual(['must not repeat one character']);
  });
});

describe('password hashing', () => {
  it('uses argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('Fähre nach Föhr um acht');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(await verifyPassword(hash, 'Fähre nach Föhr um acht')).toBe(true);
    expect(await verifyPassword(hash, 'Fähre nach Föhr um neun')).toBe(false);
    expect(await verifyPassword(undefined, 'anything')).toBe(false);
  });
});
