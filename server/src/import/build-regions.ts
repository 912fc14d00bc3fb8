import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { RegionInput, RegionLevel } from '../repositories/regions.repository.ts';
import type { Register, RegisterRow } from './destatis.ts';
import { ImportInputError } from './errors.ts';
import type { PolygonFeature, Properties, ShapefileLayer } from './read-shapefile.ts';

export interface Scope {
  level: 'kreis' | 'land';
  /** 5 digits (Kreis) or 2 digits (Land): the ARS prefix of everything imported. */
  key: string;
}

export interface BuildInput {
  scope: Scope;
  gemeinden: ShapefileLayer;
  verbaende: ShapefileLayer;
  kreise?: ShapefileLayer | undefined;
  laender?: ShapefileLayer | undefined;
  register: Register;
  /** The register's reference date (YYYY-MM-DD), stored with every population. */
  populationDate: string;
}

/** A region to upsert; geometry null means "the union of its children", made in SQL. */
export type RegionDraft = Omit<RegionInput, 'geometry'> & { geometry: string | null };

export interface LevelDrafts {
  level: RegionLevel;
  /** SRID of the drafts' geometries (of the layer they come from). */
  srid: number;
  rows: RegionDraft[];
}

export interface KeyName { key: string; name: string }

export interface MatchReport {
  /** Boundary Gemeinden without a register row: population left empty. */
  boundaryWithoutRegister: KeyName[];
  /** Register Gemeinden (satzart 60) without a boundary feature, e.g. merged since the register date. */
  registerWithoutBoundary: (KeyName & { population: number | null; lon: number | null; lat: number | null })[];
  /** Features dropped because their Geofaktor marks water, per layer file. */
  waterDropped: Record<string, number>;
  /** Keys whose land parts came as several features and were merged into one MultiPolygon. */
  mergedParts: (KeyName & { level: RegionLevel; parts: number })[];
  gemeindenWithoutVerband: KeyName[];
  verbaendeWithoutGemeinden: KeyName[];
  matchedGemeinden: number;
  /** Register population of the matched Gemeinden. */
  matchedPopulation: number;
  notes: string[];
}

export interface BuildResult {
  scope: Scope & { name: string };
  /** Parents before children: the upsert resolves parent_id by (level, ars). */
  levels: LevelDrafts[];
  report: MatchReport;
  /** The newest BEGINN year in the boundary layer: the year of the BKG attribution. */
  boundaryYear: number | null;
}

// Geofaktor: VG250 separates land (3 without, 4 with structure) from water (1, 2); VG5000 2021
// marks every land area 9 and only its Land layer has water parts (8: coastal waters, Bodensee).
const WATER_GF = new Set([1, 2, 8]);
const LAND_GF = new Set([3, 4, 9]);

const KREIS_KIND: Record<string, string> = { '41': 'Kreisfreie Stadt', '42': 'Stadtkreis', '43': 'Kreis', '44': 'Landkreis', '45': 'Regionalverband' };

export const ars12 = (prefix: string): string => prefix.padEnd(12, '0');

function text(p: Properties, column: string, layer: ShapefileLayer): string {
  const v = p[column];
  if (typeof v !== 'string' && typeof v !== 'number') throw new ImportInputError(layer.file, `no column ${column} (or an empty value): not a VG5000/VG250 layer?`);
  return String(v).trim();
}

function isLand(p: Properties, layer: ShapefileLayer): boolean {
  const gf = p.GF;
  if (gf === undefined || gf === null) return true;
  if (WATER_GF.has(Number(gf))) return false;
  if (LAND_GF.has(Number(gf))) return true;
  throw new ImportInputError(layer.file, `unknown Geofaktor GF=${String(gf)} (known: 1, 2, 8 water; 3, 4, 9 land)`);
}

interface Grouped { key: string; props: Properties; polygons: Position[][][]; parts: number }

/**
 * Keeps the scope's land features of a layer, checks the key's length (a wrong layer given for an
 * option shows here), and merges the land parts of one key into one MultiPolygon.
 */
function groupLand(layer: ShapefileLayer, column: string, digits: number, prefix: string, report: MatchReport): Map<string, Grouped> {
  const groups = new Map<string, Grouped>();
  for (const f of layer.features) {
    const key = text(f.properties, column, layer);
    if (!key.startsWith(prefix)) continue;
    if (!new RegExp(`^\\d{${digits}}$`).test(key)) {
      throw new ImportInputError(layer.file, `${column} "${key}" is not a ${digits}-digit key: is this the right layer for this option?`);
    }
    if (!isLand(f.properties, layer)) {
      report.waterDropped[layer.file] = (report.waterDropped[layer.file] ?? 0) + 1;
      continue;
    }
    const g = groups.get(key) ?? { key, props: f.properties, polygons: [], parts: 0 };
    g.polygons.push(...polygonsOf(f));
    g.parts++;
    groups.set(key, g);
  }
  return groups;
}

function polygonsOf(f: PolygonFeature): Position[][][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

function geometryOf(g: Grouped): string {
  const geometry: Polygon | MultiPolygon = g.polygons.length === 1
    ? { type: 'Polygon', coordinates: g.polygons[0]! }
    : { type: 'MultiPolygon', coordinates: g.polygons };
  return JSON.stringify(geometry);
}

function noteMerged(groups: Map<string, Grouped>, level: RegionLevel, report: MatchReport): void {
  for (const g of groups.values()) {
    if (g.parts > 1) report.mergedParts.push({ level, key: g.key, name: String(g.props.GEN ?? ''), parts: g.parts });
  }
}

// Mirrors refresh_region_aggregates(): sum and max over the children that have a value, so the
// upsert already writes what the refresh would set and a second run finds nothing to update.
function aggregate(children: readonly RegionDraft[]): Pick<RegionDraft, 'population' | 'population_date'> {
  const known = children.filter((c) => c.population !== null);
  if (known.length === 0) return { population: null, population_date: null };
  const dates = known.map((c) => c.population_date).filter((d): d is string => d !== null).sort();
  return { population: known.reduce((s, c) => s + c.population!, 0), population_date: dates[dates.length - 1] ?? null };
}

function childrenOf(rows: readonly RegionDraft[], level: RegionLevel, ars: string): RegionDraft[] {
  return rows.filter((r) => r.parent_level === level && r.parent_ars === ars);
}

function buildGemeinden(input: BuildInput, prefix: string, report: MatchReport): RegionDraft[] {
  const groups = groupLand(input.gemeinden, 'ARS', 12, prefix, report);
  if (groups.size === 0) {
    throw new ImportInputError(input.gemeinden.file, `no Gemeinde with a key starting with ${input.scope.key}: unknown ${input.scope.level === 'kreis' ? 'Kreis' : 'Land'} key?`);
  }
  noteMerged(groups, 'gemeinde', report);
  const rows: RegionDraft[] = [];
  for (const g of groups.values()) {
    const ags = text(g.props, 'AGS', input.gemeinden);
    const name = text(g.props, 'GEN', input.gemeinden);
    const reg = input.register.gemeinden.get(ags);
    if (reg) {
      report.matchedGemeinden++;
      report.matchedPopulation += reg.population ?? 0;
    } else {
      report.boundaryWithoutRegister.push({ key: ags, name });
    }
    rows.push({
      level: 'gemeinde', ars: g.key, ags, name, kind: text(g.props, 'BEZ', input.gemeinden),
      parent_level: 'verband', parent_ars: ars12(g.key.slice(0, 9)),
      population: reg?.population ?? null, population_date: reg && reg.population !== null ? input.populationDate : null,
      geometry: geometryOf(g),
    });
  }
  return rows;
}

function buildVerbaende(input: BuildInput, prefix: string, gemeinden: RegionDraft[], report: MatchReport): RegionDraft[] {
  const groups = groupLand(input.verbaende, 'ARS', 9, prefix, report);
  noteMerged(groups, 'verband', report);
  const rows = [...groups.values()].map((g): RegionDraft => {
    const ars = ars12(g.key);
    const children = childrenOf(gemeinden, 'verband', ars);
    if (children.length === 0) report.verbaendeWithoutGemeinden.push({ key: g.key, name: String(g.props.GEN ?? '') });
    return {
      level: 'verband', ars, ags: null, name: text(g.props, 'GEN', input.verbaende), kind: text(g.props, 'BEZ', input.verbaende),
      parent_level: 'kreis', parent_ars: ars12(g.key.slice(0, 5)), ...aggregate(children), geometry: geometryOf(g),
    };
  });
  const known = new Set(rows.map((r) => r.ars));
  for (const g of gemeinden) {
    if (!known.has(g.parent_ars!)) report.gemeindenWithoutVerband.push({ key: g.ags!, name: g.name });
  }
  return rows;
}

function buildKreise(input: BuildInput, prefix: string, gemeinden: RegionDraft[], verbaende: RegionDraft[], report: MatchReport): RegionDraft[] {
  const keys = [...new Set([...gemeinden, ...verbaende].map((r) => r.ars.slice(0, 5)))].sort();
  const groups = input.kreise ? groupLand(input.kreise, 'ARS', 5, prefix, report) : undefined;
  if (groups) noteMerged(groups, 'kreis', report);
  return keys.map((key): RegionDraft => {
    const g = groups?.get(key);
    if (input.kreise && !g) throw new ImportInputError(input.kreise.file, `no land feature for Kreis ${key}, which the Verband layer has`);
    const reg = input.register.kreise.get(key);
    const name = g ? text(g.props, 'GEN', input.kreise!) : reg?.name;
    if (name === undefined) report.notes.push(`Kreis ${key}: no name in the register (satzart 40) nor a Kreis layer; named "Kreis ${key}"`);
    const ars = ars12(key);
    return {
      level: 'kreis', ars, ags: key, name: name ?? `Kreis ${key}`,
      kind: g ? text(g.props, 'BEZ', input.kreise!) : KREIS_KIND[reg?.textkennzeichen ?? ''] ?? 'Kreis',
      parent_level: 'land', parent_ars: ars12(key.slice(0, 2)),
      ...aggregate(childrenOf(verbaende, 'kreis', ars)), geometry: g ? geometryOf(g) : null,
    };
  });
}

function buildLand(input: BuildInput, kreise: RegionDraft[], report: MatchReport): RegionDraft {
  const key = input.scope.key;
  const g = input.laender ? groupLand(input.laender, 'ARS', 2, key, report).get(key) : undefined;
  if (input.laender && !g) throw new ImportInputError(input.laender.file, `no land feature for Land ${key}`);
  if (g && g.parts > 1) report.mergedParts.push({ level: 'land', key, name: String(g.props.GEN ?? ''), parts: g.parts });
  const name = g ? text(g.props, 'GEN', input.laender!) : input.register.lands.get(key)?.name ?? `Land ${key}`;
  return {
    level: 'land', ars: ars12(key), ags: key, name, kind: g ? text(g.props, 'BEZ', input.laender!) : 'Land',
    parent_level: null, parent_ars: null, ...aggregate(kreise), geometry: g ? geometryOf(g) : null,
  };
}

function unmatchedRegister(input: BuildInput, gemeinden: RegionDraft[]): MatchReport['registerWithoutBoundary'] {
  const boundary = new Set(gemeinden.map((g) => g.ags));
  return [...input.register.gemeinden.values()]
    .filter((r: RegisterRow) => r.key.startsWith(input.scope.key) && !boundary.has(r.key))
    .map((r) => ({ key: r.key, name: r.name, population: r.population, lon: r.lon, lat: r.lat }));
}

function newestYear(layer: ShapefileLayer): number | null {
  const years = layer.allProperties.map((p) => p.BEGINN).filter((d): d is Date => d instanceof Date).map((d) => d.getUTCFullYear());
  return years.length > 0 ? Math.max(...years) : null;
}

/**
 * Joins boundaries and register into the hierarchy Land > Kreis > Verband > Gemeinde, keyed by the
 * ARS (Verband: its first 9 digits; Kreis: 5; Land: 2) and, for the population, by the AGS.
 * Pure: every mismatch goes into the report, nothing is dropped silently.
 */
export function buildRegions(input: BuildInput): BuildResult {
  const report: MatchReport = {
    boundaryWithoutRegister: [], registerWithoutBoundary: [], waterDropped: {}, mergedParts: [],
    gemeindenWithoutVerband: [], verbaendeWithoutGemeinden: [], matchedGemeinden: 0, matchedPopulation: 0, notes: [],
  };
  const prefix = input.scope.key;
  const gemeinden = buildGemeinden(input, prefix, report);
  const verbaende = buildVerbaende(input, prefix, gemeinden, report);
  const kreise = buildKreise(input, prefix, gemeinden, verbaende, report);
  report.registerWithoutBoundary = unmatchedRegister(input, gemeinden);
  const kreisSrid = input.kreise?.srid ?? input.verbaende.srid;
  const levels: LevelDrafts[] = [
    { level: 'kreis', srid: kreisSrid, rows: kreise },
    { level: 'verband', srid: input.verbaende.srid, rows: verbaende },
    { level: 'gemeinde', srid: input.gemeinden.srid, rows: gemeinden },
  ];
  let name = kreise[0]!.name;
  if (input.scope.level === 'land') {
    const land = buildLand(input, kreise, report);
    levels.unshift({ level: 'land', srid: input.laender?.srid ?? kreisSrid, rows: [land] });
    name = land.name;
  }
  return { scope: { ...input.scope, name }, levels, report, boundaryYear: newestYear(input.gemeinden) };
}
