import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/index.ts';

/** The real app on a real database, for app.inject; no port is opened. */
export async function buildTestApp(db: Database, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config: Config = loadConfig({ NODE_ENV: 'test', ...env });
  const app = await buildApp({ db, config });
  await app.ready();
  return app;
}
