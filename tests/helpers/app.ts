import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/index.ts';

/** The real app on a real database, for app.inject; no port is opened. */
export async function buildTestApp(db: Database, env: Record<string, string> = {}): Promise<FastifyInstance> {
  // Tests log in often from one address, and a loaded test machine lags: the login limit and
  // the overload guard have tests of their own.
  const config: Config = loadConfig({ NODE_ENV: 'test', LOGIN_RATE_LIMIT: '1000', MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
  // TEST_LOG=1 shows the server's error log (with stack traces) while debugging a test.
  const app = await buildApp({ db, config, logger: process.env.TEST_LOG ? { level: 'error' } : false });
  await app.ready();
  return app;
}
