import type { Database } from '../../server/src/db/index.ts';

/**
 * The same database, counting the statements that reach it. With `listen`, it also passes the
 * database's LISTEN through (PostgreSQL), so an app on it hears changes of access; without, the
 * app cannot (plugins/auth.ts).
 */
export function countingDb(db: Database, { listen = false } = {}): { db: Database; statements: () => number } {
  let n = 0;
  const counted: Database = {
    kind: db.kind,
    query: (sql, params) => (n++, db.query(sql as never, params)),
    exec: (sql) => (n++, db.exec(sql)),
    transaction: (fn) => (n++, db.transaction(fn)),
    close: () => db.close(),
    ...(listen && db.listen ? { listen: db.listen.bind(db) } : {}),
  };
  return { db: counted, statements: () => n };
}
