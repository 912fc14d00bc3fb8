// Worker thread holding the embedded database (PGlite + PostGIS, WebAssembly). PGlite runs each
// statement synchronously on the thread that owns it; in the main thread a 300 ms page of a layer
// would stall every socket, so a response could not be written while the next page is built.
// Plain JavaScript so that Node runs it without the TypeScript loader the parent may run under.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, parse, protocol, types } from '@electric-sql/pglite';
import { lightPostgis, releaseBundle, startParams } from './pglite-memory.mjs';

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

const serialize = protocol.serialize;
/** Parameter types of the statements prepared so far in this session, by statement name. */
const preparedTypes = new Map();

const step = async (message) => (await pgl.execProtocol(message, { syncToFs: false })).messages;

/**
 * A named statement (NamedStatement in types.ts): parsed and planned on first use, afterwards
 * only bound and executed. The same protocol steps as PGlite's own query(), which parses an
 * unnamed statement every time; parameters and results go through the same serializers and
 * parsers (arrays included), so both paths return identical rows.
 */
async function queryPrepared(name, text, params) {
  const messages = [];
  try {
    let oids = preparedTypes.get(name);
    if (!oids) {
      await step(serialize.parse({ name, text }));
      oids = parse.parseDescribeStatementResults(await step(serialize.describe({ type: 'S', name })));
      preparedTypes.set(name, oids);
    }
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const ser = pgl.serializers[oids[i]];
      return ser ? ser(v) : v.toString();
    });
    messages.push(
      ...(await step(serialize.bind({ statement: name, values }))),
      ...(await step(serialize.describe({ type: 'P' }))),
      ...(await step(serialize.execute({}))),
    );
  } finally {
    // Ends the extended-protocol cycle, also after an error (as PGlite's query() does).
    messages.push(...(await pgl.execProtocol(serialize.sync())).messages);
  }
  return parse.parseResults(messages, pgl.parsers)[0];
}

let pgl;
try {
  pgl = await PGlite.create(workerData.dataDir, { extensions: { postgis: await lightPostgis() }, parsers, startParams: startParams(PGlite.defaultStartParams) });
  // Installed here, before releaseBundle drops the extension script (openDatabase repeats it: a no-op).
  await pgl.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  releaseBundle(pgl);
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: plain(err) });
}

parentPort.on('message', async ({ id, op, sql, name, params }) => {
  try {
    if (op === 'query') {
      const res = name ? await queryPrepared(name, sql, params ?? []) : await pgl.query(sql, params);
      parentPort.postMessage({ id, rows: res.rows, rowCount: res.affectedRows ?? res.rows.length });
    } else if (op === 'exec') {
      await pgl.exec(sql);
      parentPort.postMessage({ id });
    } else if (op === 'memory') {
      // This thread's V8 heap and buffers, and the size of PGlite's WebAssembly memory.
      const { heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
      parentPort.postMessage({ id, memory: { heapTotal, heapUsed, external, arrayBuffers, wasm: pgl.mod.HEAPU8.buffer.byteLength } });
    } else if (op === 'close') {
      await pgl.close();
      parentPort.postMessage({ id });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: plain(err) });
  }
});
