import type { Queryable } from '../db/index.ts';

const COUNT = `SELECT count(*)::int AS n FROM login_failures WHERE email = lower($1) AND failed_at > now() - make_interval(secs => $2)`;

export async function recent(db: Queryable, email: string, windowSeconds: number): Promise<number> {
  return (await db.query<{ n: number }>(COUNT, [email, windowSeconds])).rows[0]!.n;
}

export async function add(db: Queryable, email: string): Promise<void> {
  await db.query('INSERT INTO login_failures (email) VALUES (lower($1))', [email]);
}

export async function clear(db: Queryable, email: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE email = lower($1)', [email]);
}
