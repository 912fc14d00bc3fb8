import pg from 'pg';
import { DatabaseUnavailableError, type Database, type ListenHandlers, type NamedStatement, type Queryable, type QueryResult } from './types.ts';

export interface PgOptions {
  connectionString: string;
  max?: number;
  /** Bounds every statement, so a slow query cannot hold a connection for ever. */
  statementTimeoutMs?: number;
  /** How long a request waits for a free connection before it fails with 503. */
  connectionTimeoutMs?: number;
}

// One vocabulary on both backends: PGlite returns int8 and numeric as numbers and dates as
// 'YYYY-MM-DD' strings (see pglite-database.ts); make node-postgres do the same.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v); // int8, numeric
    if (oid === 1082) return (v: string) => v; // date stays a calendar date, no time zone
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

// Connection failures, server shutdown (57P0x), too many connections (53300) and a statement
// cancelled by statement_timeout (57014): the request cannot be served now, so 503.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '57014']);

function translate(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  if ((e.code && UNAVAILABLE_CODES.has(e.code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(e.message ?? '')) {
    return new DatabaseUnavailableError(e.message ?? 'database unavailable', { cause: err });
  }
  return err;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string | NamedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        // A named statement is parsed and planned once per pooled connection (pg keeps the names).
        const res = await client.query(typeof sql === 'string' ? { text: sql, values: params as unknown[], types } : { name: sql.name, text: sql.text, values: params as unknown[], types });
        return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
      } catch (err) {
        throw translate(err);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (err) {
        throw translate(err);
      }
    },
  };
}

export function createPgDatabase(opts: PgOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 2_000,
    statement_timeout: opts.statementTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
  });
  // A dropped idle connection (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw translate(err);
      }
      const tx = wrap(client);
      try {
        await tx.exec('BEGIN');
        const result = await fn(tx);
        await tx.exec('COMMIT');
        client.release();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        // A broken connection is destroyed rather than returned to the pool.
        client.release(err instanceof DatabaseUnavailableError ? (err as Error) : undefined);
        throw err;
      }
    },
    listen: (channel, handlers) => listen(opts, channel, handlers),
    async close() {
      await pool.end();
    },
  };
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 30_000;

/**
 * LISTEN on a connection outside the pool (a pooled one would be handed to requests and its
 * LISTEN lost). A lost connection reports `down` at once and is replaced, retrying with a delay
 * that doubles up to 30 s. TCP keepalive lets the kernel notice a peer that vanished silently.
 */
async function listen(opts: PgOptions, channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let delay = RETRY_FIRST_MS;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  };
  const connect = async () => {
    const client = new pg.Client({
      connectionString: opts.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? 2_000,
      // Names the connection in pg_stat_activity (operations.md, "Scaling out").
      application_name: `ilk listen ${channel}`,
    });
    client.on('notification', (n) => {
      if (n.channel === channel) handlers.message(n.payload ?? '');
    });
    client.on('error', () => {}); // followed by 'end', which is handled
    client.on('end', () => {
      if (current !== client) return;
      current = null;
      handlers.down(new Error(`the connection listening on ${channel} ended`));
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      client.end().catch(() => {});
      handlers.down(translate(err));
      retry();
      return;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    delay = RETRY_FIRST_MS;
    handlers.up();
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}
