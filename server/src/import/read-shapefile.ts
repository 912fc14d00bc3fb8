import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { MultiPolygon, Polygon } from 'geojson';
import * as shapefile from 'shapefile';
import { ImportInputError } from './errors.ts';
import { epsgFromPrj } from './prj.ts';
import { DEFAULT_ZIP_LIMITS, extractZipEntries, listZipEntries, type ZipLimits } from './zip-archive.ts';

export type Properties = Record<string, unknown>;

export interface PolygonFeature {
  geometry: Polygon | MultiPolygon;
  properties: Properties;
}

export interface ShapefileLayer {
  /** The file as named in messages: a path, or `archive.zip#member.shp`. */
  file: string;
  srid: number;
  /** The features the filter kept, in file order. */
  features: PolygonFeature[];
  /** Every feature of the file, kept or not (the attribution year is taken from all of them). */
  allProperties: Properties[];
}

export interface ReadShapefileOptions {
  /** Picks the layer in an archive with several shapefiles, e.g. "GEM" for VG5000_GEM.shp. */
  layerHint?: string;
  /** Which features to keep (by attributes); features without geometry are never kept. */
  filter?: (properties: Properties) => boolean;
  zipLimits?: Partial<ZipLimits>;
}

interface RawShapefile {
  file: string;
  shp: Uint8Array;
  dbf: Uint8Array;
  prj: string;
  cpg: string | undefined;
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EACCES: 'cannot read the file (permission denied)',
  EISDIR: 'is a directory, not a file',
};

export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new ImportInputError(path, SYSTEM_ERRORS[code] ?? `cannot read the file (${(err as Error).message})`, { cause: err });
  }
}

/** Reads a polygon shapefile (.shp with .dbf and .prj beside it, or inside a .zip). */
export async function readShapefile(path: string, opts: ReadShapefileOptions = {}): Promise<ShapefileLayer> {
  const raw = /\.zip(#|$)/i.test(path) ? await readFromZip(path, opts) : await readFromDirectory(path);
  const srid = epsgFromPrj(raw.prj, raw.file.replace(/\.shp$/i, '.prj'));
  return { ...(await parse(raw, opts.filter ?? (() => true))), file: raw.file, srid };
}

async function readFromDirectory(path: string): Promise<RawShapefile> {
  if (extname(path).toLowerCase() !== '.shp') throw new ImportInputError(path, 'expected a .shp file or a .zip archive');
  const shp = await readInputFile(path);
  const stem = basename(path).slice(0, -4).toLowerCase();
  // Sidecars are matched case-insensitively: archives from Windows often carry .DBF or .PRJ.
  const siblings = new Map((await readdir(dirname(path))).map((f) => [f.toLowerCase(), f]));
  const sidecar = (ext: string) => {
    const name = siblings.get(`${stem}.${ext}`);
    return name === undefined ? undefined : join(dirname(path), name);
  };
  const dbfPath = sidecar('dbf');
  const prjPath = sidecar('prj');
  if (!dbfPath) throw new ImportInputError(path, `no ${stem}.dbf beside it: the attributes (keys, names) are missing`);
  if (!prjPath) throw new ImportInputError(path, `no ${stem}.prj beside it: the coordinate reference system is unknown, so the geometry cannot be reprojected`);
  const cpgPath = sidecar('cpg');
  return {
    file: path,
    shp,
    dbf: await readInputFile(dbfPath),
    prj: (await readInputFile(prjPath)).toString('utf8'),
    cpg: cpgPath ? (await readInputFile(cpgPath)).toString('utf8') : undefined,
  };
}

function chooseMember(names: string[], archive: string, member: string | undefined, hint: string | undefined): string {
  const shps = names.filter((n) => /\.shp$/i.test(n) && !n.startsWith('__MACOSX/'));
  const stemOf = (n: string) => basename(n).replace(/\.shp$/i, '').toLowerCase();
  let found = shps;
  if (member !== undefined) {
    const want = member.replace(/\.shp$/i, '').toLowerCase();
    found = shps.filter((n) => stemOf(n) === want || n.toLowerCase() === `${want}.shp`);
  } else if (shps.length > 1 && hint) {
    found = shps.filter((n) => stemOf(n) === hint.toLowerCase() || stemOf(n).endsWith(`_${hint.toLowerCase()}`));
  }
  if (found.length === 1) return found[0]!;
  if (shps.length === 0) throw new ImportInputError(archive, 'the archive holds no .shp file');
  const list = shps.map((n) => basename(n)).join(', ');
  throw new ImportInputError(archive, member !== undefined
    ? `no single shapefile named "${member}" in the archive (it holds ${list})`
    : `the archive holds several shapefiles (${list}); name one as ${basename(archive)}#NAME`);
}

async function readFromZip(path: string, opts: ReadShapefileOptions): Promise<RawShapefile> {
  const hash = path.search(/#[^#]*$/);
  const archive = hash >= 0 ? path.slice(0, hash) : path;
  const data = await readInputFile(archive);
  const names = listZipEntries(data, archive, { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits });
  const shpName = chooseMember(names, archive, hash >= 0 ? path.slice(hash + 1) : undefined, opts.layerHint);
  const stem = shpName.slice(0, -4).toLowerCase();
  const byExt = (ext: string) => names.find((n) => n.toLowerCase() === `${stem}.${ext}`);
  const file = `${archive}#${shpName}`;
  const [dbfName, prjName, cpgName] = [byExt('dbf'), byExt('prj'), byExt('cpg')];
  if (!dbfName) throw new ImportInputError(file, 'no .dbf beside it in the archive: the attributes (keys, names) are missing');
  if (!prjName) throw new ImportInputError(file, 'no .prj beside it in the archive: the coordinate reference system is unknown, so the geometry cannot be reprojected');
  const files = extractZipEntries(data, archive, [shpName, dbfName, prjName, ...(cpgName ? [cpgName] : [])]);
  const text = (name: string | undefined) => (name === undefined ? undefined : new TextDecoder().decode(files.get(name)));
  return { file, shp: files.get(shpName)!, dbf: files.get(dbfName)!, prj: text(prjName)!, cpg: text(cpgName) };
}

// The .cpg names the attribute encoding. Without one, a table that decodes as UTF-8 is taken
// as UTF-8 (Latin-1 umlauts never form valid UTF-8 sequences), else as Windows-1252.
function dbfEncoding(raw: RawShapefile): string {
  const cpg = raw.cpg?.trim().toLowerCase();
  if (cpg) {
    if (/^(ansi )?1252$/.test(cpg)) return 'windows-1252';
    try {
      return new TextDecoder(cpg).encoding;
    } catch {
      throw new ImportInputError(raw.file.replace(/\.shp$/i, '.cpg'), `unknown character encoding "${raw.cpg?.trim()}"`);
    }
  }
  // The records start after the binary header, whose length is at byte 8 (uint16, little-endian).
  const headerLength = raw.dbf.length >= 10 ? raw.dbf[8]! | (raw.dbf[9]! << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(raw.dbf.subarray(headerLength));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

// The reader stops quietly at the end of the data, so a .shp cut at a record boundary gave a
// layer with features missing. Both headers state the full length: hold the files to it.
function assertComplete(raw: RawShapefile): void {
  const shp = new DataView(raw.shp.buffer, raw.shp.byteOffset, raw.shp.byteLength);
  if (raw.shp.length < 100 || shp.getInt32(0, false) !== 9994) throw new ImportInputError(raw.file, 'not a shapefile (no .shp header)');
  const shpBytes = shp.getInt32(24, false) * 2;
  if (raw.shp.length < shpBytes) throw new ImportInputError(raw.file, `truncated: the header gives ${shpBytes} bytes, the file has ${raw.shp.length}`);
  const dbfFile = raw.file.replace(/\.shp$/i, '.dbf');
  if (raw.dbf.length < 32) throw new ImportInputError(dbfFile, 'not a dBASE table (no header)');
  const dbf = new DataView(raw.dbf.buffer, raw.dbf.byteOffset, raw.dbf.byteLength);
  const dbfBytes = dbf.getUint16(8, true) + dbf.getUint32(4, true) * dbf.getUint16(10, true);
  if (raw.dbf.length < dbfBytes) throw new ImportInputError(dbfFile, `truncated: the header gives ${dbfBytes} bytes, the file has ${raw.dbf.length}`);
}

async function parse(raw: RawShapefile, keep: (p: Properties) => boolean): Promise<Omit<ShapefileLayer, 'file' | 'srid'>> {
  const features: PolygonFeature[] = [];
  const allProperties: Properties[] = [];
  assertComplete(raw);
  try {
    const source = await shapefile.open(raw.shp, raw.dbf, { encoding: dbfEncoding(raw) });
    for (let r = await source.read(); !r.done; r = await source.read()) {
      const { geometry, properties } = r.value;
      allProperties.push(properties);
      if (!geometry || !keep(properties)) continue;
      if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
        throw new ImportInputError(raw.file, `expected polygons, found a ${geometry.type}`);
      }
      features.push({ geometry, properties });
    }
  } catch (err) {
    if (err instanceof ImportInputError) throw err;
    throw new ImportInputError(raw.file, `not a readable shapefile (${(err as Error).message})`, { cause: err });
  }
  return { features, allProperties };
}
