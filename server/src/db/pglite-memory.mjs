// What keeps the embedded database's memory down (docs/architecture.md, "The two database
// backends", where the measurements are). Plain JavaScript: the worker (pglite-worker.mjs) runs
// without the TypeScript loader.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync, gzipSync } from 'node:zlib';
import { postgis } from '@electric-sql/pglite-postgis';

/**
 * PostgreSQL settings of the embedded database, passed as `-c name=value` at its start.
 * shared_buffers is the one that counts: PGlite's default of 128 MB is allocated inside the
 * WebAssembly memory, which never shrinks, and fills as tables are read. The demo's whole
 * database is about 60 MB on disk and the operating system caches its files anyway.
 * maintenance_work_mem bounds index builds (the seed, imports).
 */
export const PGLITE_SETTINGS = Object.freeze({
  shared_buffers: '16MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '2MB',
});

/**
 * Lets go of what PGlite keeps of the extension bundle once PostGIS is installed and its library
 * compiled: the decompressed bundle (PGlite holds on to it for the instance's lifetime), the
 * library file (PGlite compiled it at start and links that; PostgreSQL only checks that the file
 * is there) and the extension script (read by CREATE EXTENSION only). 56 MB of ArrayBuffers in
 * the worker thread. PROJ's data stay: PROJ reads proj.db whenever it builds a transformation.
 */
export function releaseBundle(pgl) {
  const mod = pgl.mod;
  for (const name of Object.keys(mod.pg_extensions ?? {})) delete mod.pg_extensions[name];
  const dirs = { lib: `${mod.WASM_PREFIX}/lib/postgresql`, ext: `${mod.WASM_PREFIX}/share/postgresql/extension` };
  const files = [
    `${dirs.lib}/postgis-3.so`,
    ...mod.FS.readdir(dirs.ext).filter((f) => /^postgis--[\d.]+\.sql$/.test(f)).map((f) => `${dirs.ext}/${f}`),
  ];
  // Emptied, not removed: PostgreSQL looks the library up by its file before it links it.
  for (const file of files) mod.FS.writeFile(file, new Uint8Array(0));
  // The buffers are old enough to wait for a full collection, which an idle worker may not do
  // for a long time: one now. gc is exposed for a moment, to a fresh context only.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  setFlagsFromString('--no-expose-gc');
  gc();
}

/** PGlite's own start parameters followed by PGLITE_SETTINGS. */
export function startParams(defaults) {
  return [...defaults, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/** The files of the PostGIS bundle the application uses: the core library, its extension
 *  script and control file, and PROJ's data (ST_Transform). Not raster, topology, the tiger
 *  geocoder, the upgrade scripts nor the loose contrib scripts. */
const KEEP = [
  /\/$/,
  /^lib\/postgresql\/postgis-3\.so$/,
  /^share\/proj\//,
  /^share\/postgresql\/extension\/postgis(\.control|--\d[\d.]*\.sql)$/,
];

/**
 * The tar entries of `tar` (an uncompressed ustar archive) whose names `keep` accepts, as a new
 * archive. The bundle is plain ustar (no pax or GNU long-name records; those are refused).
 */
export function filterTar(tar, keep) {
  const parts = [];
  const field = (h, start, len) => h.subarray(start, start + len).toString('latin1').replace(/\0[\s\S]*$/, '');
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const type = String.fromCharCode(header[156]);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') throw new Error(`unsupported tar record "${type}" in the PostGIS bundle`);
    const prefix = field(header, 345, 155);
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const length = 512 + Math.ceil(size / 512) * 512;
    if (keep(name)) parts.push(tar.subarray(off, off + length));
    off += length;
  }
  parts.push(Buffer.alloc(1024)); // end of archive
  return Buffer.concat(parts);
}

/**
 * PostGIS with a reduced bundle. PGlite unpacks an extension's whole bundle into its in-memory
 * file system and compiles every WebAssembly library in it at start: the published bundle holds
 * 94 MB, among them raster and topology (31 MB of WebAssembly) that this application never
 * loads. The reduced bundle (34 MB) is made once from the installed package and kept in the
 * system's temporary directory, named by the package file's size and time.
 */
export async function lightPostgis() {
  const source = new URL('./postgis.tar.gz', import.meta.resolve('@electric-sql/pglite-postgis'));
  const { size, mtimeMs } = statSync(source);
  const target = join(tmpdir(), `ilk-postgis-${size}-${Math.round(mtimeMs)}.tar.gz`);
  if (!existsSync(target)) {
    const reduced = gzipSync(filterTar(gunzipSync(readFileSync(source)), (name) => KEEP.some((re) => re.test(name))), { level: 1 });
    // Written under a unique name and renamed: servers and tests starting at once never read a half file.
    const partial = `${target}.${randomUUID()}`;
    writeFileSync(partial, reduced);
    renameSync(partial, target);
  }
  return {
    name: 'postgis',
    setup: async (pg, emscriptenOpts) => ({ ...(await postgis.setup(pg, emscriptenOpts)), bundlePath: pathToFileURL(target) }),
  };
}
