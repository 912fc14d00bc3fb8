import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/index.ts';
import type { Cacheable, PrincipalCache } from './principal-cache.ts';

/** The channel migration 016's triggers notify on; the payload is the user's id. */
export const ACCESS_CHANNEL = 'ilk_access';

/**
 * Keeps a process's principal cache true to changes of access made by other processes on the
 * same PostgreSQL database (replicas, the CLI, retention, SQL): each notification drops that
 * user's cached sessions and tokens. The cache starts suspended and is active only while the
 * listening connection is up; when it is lost the cache is emptied and suspended (requests ask
 * the database) until the connection is back. Returns the function that stops listening.
 */
export async function followAccessChanges(
  db: Required<Pick<Database, 'listen'>>,
  cache: PrincipalCache<Cacheable>,
  log: FastifyBaseLogger,
): Promise<() => Promise<void>> {
  cache.suspend();
  let lost = false;
  return db.listen(ACCESS_CHANNEL, {
    message(payload) {
      const userId = Number(payload);
      // Not a user's id: someone else notified on the channel. Forget everything rather than guess.
      if (Number.isSafeInteger(userId)) cache.forgetUser(userId);
      else cache.resume();
    },
    up() {
      if (lost) log.info('listening for changes of access again; the session cache is on');
      lost = false;
      cache.resume();
    },
    down(error) {
      cache.suspend();
      if (!lost) log.warn({ err: error }, 'not listening for changes of access; the session cache is off until the connection is back');
      lost = true;
    },
  });
}
