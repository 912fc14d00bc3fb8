import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Database, Queryable, QueryResult } from './types.ts';

// PGlite has exactly one connection. Its own mutex already serialises statements, but a
// transaction must also keep every other caller out until it ends: all work goes through
// one promise chain, and a transaction holds the chain for its whole duration.
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => {});
    return next;
  }
}

const parsers = {
  [pgliteTypes.INT8]: (v: string) => Number(v),
  [pgliteTypes.NUMERIC]: (v: string) => Number(v),
  [pgliteTypes.DATE]: (v: string) => v,
};

function wrap(pgl: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await pgl.query<R>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await pgl.exec(sql);
    },
  };
}

/** Opens (and on first use creates) the embedded database in dataDir; `memory://` for tests. */
export async function createPgliteDatabase(dataDir: string): Promise<Database> {
  const pgl = await PGlite.create(dataDir, { extensions: { postgis }, parsers });
  const queue = new SerialQueue();
  const direct = wrap(pgl);
  let closed = false;
  return {
    kind: 'embedded',
    query: (sql, params) => queue.run(() => direct.query(sql, params)),
    exec: (sql) => queue.run(() => direct.exec(sql)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return queue.run(() => pgl.transaction((tx) => fn(wrap(tx))));
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.run(() => pgl.close());
    },
  };
}

/** A gzipped tarball of an embedded database directory; the database must not be open elsewhere. */
export async function dumpPglite(dataDir: string): Promise<Uint8Array> {
  const pgl = await PGlite.create(dataDir, { extensions: { postgis }, parsers });
  try {
    const blob = await pgl.dumpDataDir('gzip');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    await pgl.close();
  }
}

/** Creates an embedded database in an empty dataDir from a tarball made by dumpPglite. */
export async function restorePglite(dataDir: string, tarball: Uint8Array): Promise<void> {
  const pgl = await PGlite.create(dataDir, { extensions: { postgis }, parsers, loadDataDir: new Blob([tarball]) });
  await pgl.query('SELECT 1');
  await pgl.close();
}
