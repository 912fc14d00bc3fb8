import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MIGRATIONS_DIR = resolve(ROOT, 'migrations');
export const DEMO_DIR = resolve(ROOT, 'data', 'demo');
export const OFFICIAL_DIR = resolve(ROOT, '..', 'shared', 'data', 'official');
export const FIXTURES_DIR = resolve(ROOT, 'tests', 'fixtures');

/** The same server with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The maintenance database, for CREATE and DROP DATABASE. */
export function adminUrl(url: string): string {
  return databaseUrl(url, 'postgres');
}
