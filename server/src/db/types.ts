// The one database contract every repository uses. Two backends implement it: a pg Pool
// (DATABASE_URL) and embedded PGlite + PostGIS behind a queue (the default).

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A statement the database prepares once per connection and then only binds and executes:
 * for the small statements that every request runs (session and token lookups, layer
 * revisions), where planning costs more than executing (PostgreSQL: 0.4 → 0.2 ms for the
 * session lookup; PGlite: 0.7-1.0 → 0.2-0.3 ms). Names are unique per statement text. Not
 * for statements whose best plan depends on their parameters, nor behind a pooler that
 * multiplexes transactions over server connections (PgBouncer's transaction mode). A migration
 * that changes the columns such a statement returns needs the app restarted (migrations run at
 * start anyway): PostgreSQL refuses a cached plan whose result type changed.
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** Declares a prepared statement (see NamedStatement). */
export const prepared = (name: string, text: string): NamedStatement => ({ name, text });

export interface Queryable {
  /** One statement with $n parameters. */
  query<R = Record<string, unknown>>(sql: string | NamedStatement, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type BackendKind = 'embedded' | 'postgres';

export interface Database extends Queryable {
  readonly kind: BackendKind;
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: a connection of its own that LISTENs on `channel` and reconnects when it is
   * lost (access-listener.ts). Resolves after the first attempt to connect, whatever its outcome;
   * the returned function stops listening. The embedded database has one process and no need.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /** Embedded backend only: what its worker thread holds (the memory report, main.ts). */
  memory?(): Promise<EmbeddedMemory>;
}

export interface ListenHandlers {
  /** A notification's payload, in the order the database sent them. */
  message(payload: string): void;
  /** Listening (again): notifications from now on arrive. */
  up(): void;
  /** Not listening: notifications sent from now until the next `up` are lost. */
  down(error: unknown): void;
}

/** The embedded database's worker thread: its V8 heap and buffers and the size of PGlite's
 *  WebAssembly memory, in bytes. */
export interface EmbeddedMemory {
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  wasm: number;
}

/** Thrown when the database cannot be reached or is overloaded; the error handler maps it to 503. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
