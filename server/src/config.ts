import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  production: boolean;
  /** Seed the demo district when the database holds no regions yet. */
  seedDemo: boolean;
  demoPassword: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Anonymous read access to the offers layer only (a public offer map). */
  publicOfferMap: boolean;
  /** Optional basemap style URL for the client; the app works without it. */
  basemapStyleUrl: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  /** How long a request waits for a free database connection before it gets 503. */
  connectionTimeoutMs: number;
  bodyLimitBytes: number;
  /** Features per database round trip when a layer is streamed (memory is bounded by one page). */
  layerPageSize: number;
  /** Event-loop lag and heap size beyond which new requests get 503 (0 disables). */
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
  /** Login attempts per client IP and minute (the per-account throttle is separate). */
  loginRateLimit: number;
  /** How long this process may reuse a session's or token's principal without asking the database (0: never; null: the backend's default). */
  sessionCacheSeconds: number | null;
  /** Behind a reverse proxy: trust X-Forwarded-* (protocol and host of OGC links, client IPs). */
  trustProxy: boolean;
  clientDir: string;
  migrationsDir: string;
  demoDataDir: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const ROOT = resolve(import.meta.dirname, '..', '..');

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Reads the environment once, at start; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const production = env.NODE_ENV === 'production';
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.DATA_DIR || resolve(ROOT, '.data')),
    logLevel: env.LOG_LEVEL || 'info',
    production,
    seedDemo: bool(env, 'SEED_DEMO', true),
    demoPassword: env.DEMO_PASSWORD || 'demo',
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    publicOfferMap: bool(env, 'PUBLIC_OFFER_MAP', false),
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    poolMax: int(env, 'DB_POOL_MAX', 10, 1, 200),
    statementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 600_000),
    connectionTimeoutMs: int(env, 'DB_CONNECTION_TIMEOUT_MS', 2_000, 50, 60_000),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    loginRateLimit: int(env, 'LOGIN_RATE_LIMIT', 20, 1, 100_000),
    // Unset: the database's default (plugins/auth.ts), as tests hand the app a database directly.
    sessionCacheSeconds: env.SESSION_CACHE_SECONDS ? int(env, 'SESSION_CACHE_SECONDS', 0, 0, 60) : null,
    // Layers are read by keyset pages of this many features, one page ahead (layer-stream.ts).
    // Larger pages cost fewer queries; 20,000 measured best on both backends (docs/architecture.md,
    // "What the layers and tiles cost"); memory holds at most two pages.
    layerPageSize: int(env, 'LAYER_PAGE_SIZE', 20_000, 100, 100_000),
    // On by default only with a PostgreSQL server. PGlite now runs in a worker thread, so lag on
    // the embedded backend is overload too, but the guard has not been measured there under the
    // end-to-end suite yet (docs/operations.md).
    maxEventLoopDelayMs: int(env, 'MAX_EVENT_LOOP_DELAY_MS', databaseUrl ? 1000 : 0, 0, 60_000),
    maxHeapUsedBytes: int(env, 'MAX_HEAP_USED_BYTES', 0, 0, 64 * 1024 ** 3),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    // CLIENT_DIST: where the built client lives (default client/dist); parallel test runs in one
    // checkout may each build their own copy.
    clientDir: env.CLIENT_DIST ? resolve(env.CLIENT_DIST) : resolve(ROOT, 'client', 'dist'),
    migrationsDir: resolve(ROOT, 'migrations'),
    demoDataDir: resolve(ROOT, 'data', 'demo'),
  };
}
