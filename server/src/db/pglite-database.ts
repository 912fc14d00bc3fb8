import { PGlite } from '@electric-sql/pglite';
import { lightPostgis } from './pglite-memory.mjs';
import { Worker } from 'node:worker_threads';
import { DatabaseUnavailableError, type Database, type EmbeddedMemory, type NamedStatement, type Queryable, type QueryResult } from './types.ts';

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

interface Reply {
  id: number;
  rows?: unknown[];
  rowCount?: number;
  memory?: EmbeddedMemory;
  error?: Record<string, unknown> & { message: string };
}

/** Turns the worker's plain error object back into an Error with PostgreSQL's fields (code, ...). */
function revive(e: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(e.message), e);
}

/**
 * The embedded database lives in a worker thread (pglite-worker.mjs): PGlite executes each
 * statement synchronously on the thread that owns it, and in the main thread a long statement
 * would stall every socket. With the worker, Node writes one page of a layer to the client while
 * the next is built, and answers other I/O meanwhile. Statements still run one at a time.
 */
class PgliteWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(revive(msg.error));
      else p.resolve(msg);
    });
    const fail = (err: Error) => {
      this.failure = new DatabaseUnavailableError(`the embedded database stopped: ${err.message}`, { cause: err });
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  static async start(dataDir: string): Promise<PgliteWorker> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir } });
    const ready = await new Promise<{ ready: boolean; error?: Record<string, unknown> & { message: string } }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the embedded database's worker exited with code ${code} while starting`)));
    });
    if (!ready.ready) {
      await worker.terminate();
      throw revive(ready.error ?? { message: 'the embedded database did not start' });
    }
    return new PgliteWorker(worker);
  }

  send(op: 'query' | 'exec' | 'close' | 'memory', sql?: string | NamedStatement, params?: readonly unknown[]): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const [text, name] = typeof sql === 'object' ? [sql.text, sql.name] : [sql, undefined];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, sql: text, name, params });
    });
  }

  async stop(): Promise<void> {
    if (!this.failure) await this.send('close');
    this.failure ??= new DatabaseUnavailableError('the embedded database is closed');
    await this.worker.terminate();
  }
}

function wrap(w: PgliteWorker): Queryable {
  return {
    async query<R>(sql: string | NamedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await w.send('query', sql, params);
      return { rows: res.rows as R[], rowCount: res.rowCount! };
    },
    async exec(sql: string): Promise<void> {
      await w.send('exec', sql);
    },
  };
}

/** Opens (and on first use creates) the embedded database in dataDir; `memory://` for tests. */
export async function createPgliteDatabase(dataDir: string): Promise<Database> {
  const w = await PgliteWorker.start(dataDir);
  const queue = new SerialQueue();
  const direct = wrap(w);
  let closed = false;
  return {
    kind: 'embedded',
    query: (sql, params) => queue.run(() => direct.query(sql, params)),
    exec: (sql) => queue.run(() => direct.exec(sql)),
    // The queue is held from BEGIN to COMMIT, so no other caller's statement lands inside.
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return queue.run(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await fn(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (err) {
          await direct.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      });
    },
    memory: async () => (await w.send('memory')).memory!,
    async close() {
      if (closed) return;
      closed = true;
      await queue.run(() => w.stop());
    },
  };
}

/** A gzipped tarball of an embedded database directory; the database must not be open elsewhere. */
export async function dumpPglite(dataDir: string): Promise<Uint8Array> {
  const pgl = await PGlite.create(dataDir, { extensions: { postgis: await lightPostgis() } });
  try {
    const blob = await pgl.dumpDataDir('gzip');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    await pgl.close();
  }
}

/** Creates an embedded database in an empty dataDir from a tarball made by dumpPglite. */
export async function restorePglite(dataDir: string, tarball: Uint8Array): Promise<void> {
  const pgl = await PGlite.create(dataDir, { extensions: { postgis: await lightPostgis() }, loadDataDir: new Blob([tarball]) });
  await pgl.query('SELECT 1');
  await pgl.close();
}
