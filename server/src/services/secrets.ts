import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a cookie or a token: 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions and tokens are stored as SHA-256: enough for high-entropy secrets, and fast. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
