import type { Database, Queryable } from '../db/index.ts';
import * as meta from '../repositories/meta.repository.ts';
import * as regions from '../repositories/regions.repository.ts';
import { holdsDemo, removeDemoIn, type DemoRemoval } from '../services/demo.service.ts';
import { buildRegions, type BuildResult, type LevelDrafts, type Scope } from './build-regions.ts';
import { parseRegister } from './destatis.ts';
import { ImportInputError } from './errors.ts';
import { readInputFile, readShapefile, type ReadShapefileOptions } from './read-shapefile.ts';
import type { ZipLimits } from './zip-archive.ts';

export const BOUNDARY_SOURCE_KEY = 'bkg-vg5000';
export const REGISTER_SOURCE_KEY = 'destatis-gv';
/**
 * Sources that come with a region source without being written on the region: the boundary
 * import always brings the register's population, so a district with BKG boundaries is also
 * attributed to Destatis (used by the per-district dataset facts of /api/meta).
 */
export const COMPANION_SOURCES: Readonly<Record<string, readonly string[]>> = { [BOUNDARY_SOURCE_KEY]: [REGISTER_SOURCE_KEY] };
/** The Gemeindeverzeichnis edition the import is made for (its attribution says 2020). */
export const POPULATION_DATE = '2019-12-31';
const DL_DE_BY_2_0 = { licence: 'Datenlizenz Deutschland – Namensnennung – Version 2.0', licence_url: 'https://www.govdata.de/dl-de/by-2-0' };

export interface ImportOptions {
  scope: Scope;
  /** Gemeinden (VG5000_GEM): .shp or .zip. */
  boundaries: string;
  /** Verwaltungsgemeinschaften (VG5000_VWG): .shp or .zip. */
  verbaende: string;
  /** Destatis Gemeindeverzeichnis CSV. */
  population: string;
  /** Kreise (VG5000_KRS); without it a Kreis is the union of its Verbände. */
  kreise?: string | undefined;
  /** Länder (VG5000_LAN), for a Land import; without it the Land is the union of its Kreise. */
  landBoundaries?: string | undefined;
  zipLimits?: Partial<ZipLimits> | undefined;
}

export interface PreparedImport {
  build: BuildResult;
  files: { role: string; file: string; srid: number | null }[];
}

export interface LocatedGemeinde { key: string; name: string; population: number | null; now_in: { ags: string; name: string } | null }

export interface ImportReport {
  scope: BuildResult['scope'];
  dry_run: boolean;
  files: PreparedImport['files'];
  levels: { level: regions.RegionLevel; rows: number; inserted: number; updated: number }[];
  inserted: number;
  updated: number;
  match: BuildResult['report'];
  /** Register Gemeinden without a boundary, located by their register point in the new Gemeinden. */
  register_located: LocatedGemeinde[];
  /** Regions of the scope in the database before the import that the new data do not have (kept). */
  not_in_new_data: { level: string; ars: string; name: string; source_key: string | null }[];
  /** Regions of the fictional demo district left in the database (kept only with keepDemo). */
  demo_regions: number;
  /** What --remove-demo deleted in the import's transaction (would delete, in a dry run); null without it. */
  demo_removed: DemoRemoval | null;
  attribution: string[];
  duration_ms: number;
}

/** Reads and joins every input; throws ImportInputError (naming the file) before anything is written. */
export async function prepareImport(opts: ImportOptions): Promise<PreparedImport> {
  if (opts.landBoundaries && opts.scope.level !== 'land') {
    throw new ImportInputError(opts.landBoundaries, 'a Land layer is used only by a Land import (--land)');
  }
  const layer = (path: string | undefined, layerHint: string) => {
    const o: ReadShapefileOptions = { layerHint, zipLimits: opts.zipLimits, filter: (p) => String(p.ARS ?? '').startsWith(opts.scope.key) };
    return path === undefined ? Promise.resolve(undefined) : readShapefile(path, o);
  };
  const [gemeinden, verbaende, kreise, laender, csv] = await Promise.all([
    layer(opts.boundaries, 'GEM'), layer(opts.verbaende, 'VWG'), layer(opts.kreise, 'KRS'), layer(opts.landBoundaries, 'LAN'),
    readInputFile(opts.population),
  ]);
  const register = parseRegister(csv.toString('utf8'), opts.population);
  const build = buildRegions({ scope: opts.scope, gemeinden: gemeinden!, verbaende: verbaende!, kreise, laender, register, populationDate: POPULATION_DATE });
  const files: PreparedImport['files'] = [
    { role: 'Gemeinden', layer: gemeinden }, { role: 'Verbände', layer: verbaende },
    { role: 'Kreise', layer: kreise }, { role: 'Länder', layer: laender },
  ].flatMap(({ role, layer: l }) => (l ? [{ role, file: l.file, srid: l.srid }] : []));
  files.push({ role: 'population', file: opts.population, srid: null });
  return { build, files };
}

function sources(build: BuildResult): meta.DataSource[] {
  const year = build.boundaryYear === null ? '' : ` ${build.boundaryYear}`;
  return [
    { key: BOUNDARY_SOURCE_KEY, name: 'Verwaltungsgebiete 1:5 000 000 (VG5000), Bundesamt für Kartographie und Geodäsie',
      attribution: `© GeoBasis-DE / BKG${year}`, ...DL_DE_BY_2_0, reference_date: null },
    { key: REGISTER_SOURCE_KEY, name: 'Gemeindeverzeichnis (GV-ISys), Statistisches Bundesamt',
      attribution: '© Statistisches Bundesamt (Destatis), 2020', ...DL_DE_BY_2_0, reference_date: POPULATION_DATE },
  ];
}

// Bottom-up: a Kreis without its own polygon needs its Verbände, a Land its (resolved) Kreise.
async function resolveUnions(tx: Queryable, levels: LevelDrafts[]): Promise<void> {
  for (let i = levels.length - 2; i >= 0; i--) {
    const parent = levels[i]!;
    const children = levels[i + 1]!;
    for (const row of parent.rows.filter((r) => r.geometry === null)) {
      const parts = children.rows.filter((c) => c.parent_ars === row.ars).map((c) => c.geometry!);
      row.geometry = await regions.unionGeometries(tx, parts);
    }
  }
}

async function locate(tx: Queryable, build: BuildResult): Promise<LocatedGemeinde[]> {
  const unmatched = build.report.registerWithoutBoundary;
  const points = unmatched.flatMap((r) => (r.lon !== null && r.lat !== null ? [{ key: r.key, lon: r.lon, lat: r.lat }] : []));
  const found = await regions.locateGemeinden(tx, points);
  return unmatched.map((r) => ({ key: r.key, name: r.name, population: r.population, now_in: found.get(r.key) ?? null }));
}

/** The database holds the demo district and the import was asked neither to remove nor to keep it. */
export class DemoPresentError extends Error {
  constructor(readonly regions: number) {
    super(`the database holds the fictional demo district (${regions} regions with source 'demo'), and official data must not mix with it. `
      + 'Rerun with --remove-demo to remove the demo in the same transaction as the import, or run npm run demo:remove first');
  }
}

export interface WriteOptions {
  dryRun?: boolean | undefined;
  /** Remove the demo district (and everything hanging on it) in the import's transaction. */
  removeDemo?: boolean | undefined;
  /**
   * Import beside the demo district. Only for tests and benchmarks that need both side by side;
   * the command line offers no way to do this.
   */
  keepDemo?: boolean | undefined;
}

/** Who the audit entry of a removal inside an import names. */
const IMPORT_ACTOR = 'npm run import:official --remove-demo';

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run: rolled back');
  }
}

/** Writes a prepared import in one transaction; a dry run does everything and rolls back. */
export async function writeImport(db: Database, prepared: PreparedImport, opts: WriteOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const { build } = prepared;
  try {
    return await db.transaction(async (tx) => {
      // First of all, so a refused import writes nothing.
      if (!opts.removeDemo && !opts.keepDemo && (await holdsDemo(tx))) throw new DemoPresentError(await demoRegionCount(tx));
      const demo_removed = opts.removeDemo ? await removeDemoIn(tx, IMPORT_ACTOR) : null;
      const missing = await regions.missingSrids(tx, [...new Set(build.levels.map((l) => l.srid))]);
      const unknown = prepared.files.find((f) => f.srid !== null && missing.includes(f.srid));
      if (unknown) throw new ImportInputError(unknown.file, `EPSG:${unknown.srid} is not known to PostGIS (spatial_ref_sys)`);
      const before = await regions.listRegionsByArsPrefix(tx, build.scope.key);
      for (const s of sources(build)) await meta.upsertSource(tx, s);
      const levels = structuredClone(build.levels);
      await resolveUnions(tx, levels);
      const written: ImportReport['levels'] = [];
      for (const l of levels) {
        const rows = l.rows.map((r) => ({ ...r, geometry: r.geometry! }));
        written.push({ level: l.level, rows: rows.length, ...(await regions.upsertRegions(tx, rows, l.srid, BOUNDARY_SOURCE_KEY)) });
      }
      await regions.refreshAggregates(tx);
      const inserted = written.reduce((s, l) => s + l.inserted, 0);
      const updated = written.reduce((s, l) => s + l.updated, 0);
      const fresh = new Set(levels.flatMap((l) => l.rows.map((r) => `${r.level}:${r.ars}`)));
      const report: ImportReport = {
        scope: build.scope, dry_run: opts.dryRun === true, files: prepared.files, levels: written, inserted, updated,
        match: build.report, register_located: await locate(tx, build),
        not_in_new_data: before.filter((r) => r.source_key !== 'demo' && !fresh.has(`${r.level}:${r.ars}`)),
        demo_regions: await demoRegionCount(tx),
        demo_removed,
        attribution: sources(build).map((s) => s.attribution),
        duration_ms: 0,
      };
      if (opts.dryRun) throw new DryRunRollback(report);
      return report;
    }).then((report) => ({ ...report, duration_ms: Math.round(performance.now() - started) }));
  } catch (err) {
    if (err instanceof DryRunRollback) return { ...err.report, duration_ms: Math.round(performance.now() - started) };
    throw err;
  }
}

const demoRegionCount = (tx: Queryable) => regions.countBySource(tx, 'demo');

/** Reads, joins and writes in one go (the CLI separates the two steps to fail before opening the database). */
export async function importOfficial(db: Database, opts: ImportOptions & WriteOptions): Promise<ImportReport> {
  return writeImport(db, await prepareImport(opts), { dryRun: opts.dryRun, removeDemo: opts.removeDemo, keepDemo: opts.keepDemo });
}
