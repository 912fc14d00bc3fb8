// Worker thread holding the embedded database (PGlite + PostGIS, WebAssembly). PGlite runs each
// statement synchronously on the thread that owns it; in the main thread a 300 ms page of a layer
// would stall every socket, so a response could not be written while the next page is built.
// Plain JavaScript so that Node runs it without the TypeScript loader the parent may run under.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

// The same result types as the PostgreSQL backend (pg-database.ts): counts and sums as numbers,
// dates as their ISO text.
const parsers = {
  [types.INT8]: (v) => Number(v),
  [types.NUMERIC]: (v) => Number(v),
  [types.DATE]: (v) => v,
};

/** An error as a plain object: structured cloning keeps only message and stack of an Error,
 *  and the error handler needs PostgreSQL's fields (code, detail, constraint, ...). */
function plain(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  return { ...err, name: err.name, message: err.message };
}

let pgl;
try {
  pgl = await PGlite.create(workerData.dataDir, { extensions: { postgis }, parsers });
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: plain(err) });
}

parentPort.on('message', async ({ id, op, sql, params }) => {
  try {
    if (op === 'query') {
      const res = await pgl.query(sql, params);
      parentPort.postMessage({ id, rows: res.rows, rowCount: res.affectedRows ?? res.rows.length });
    } else if (op === 'exec') {
      await pgl.exec(sql);
      parentPort.postMessage({ id });
    } else if (op === 'close') {
      await pgl.close();
      parentPort.postMessage({ id });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: plain(err) });
  }
});
