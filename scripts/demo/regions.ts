import type { Feature, MultiPolygon, Position } from 'geojson';
import { dissolve } from './dissolve.ts';
import { NameMaker, sortKey } from './names.ts';
import { distance, type PlanePoint } from './plane.ts';
import { KREIS_AGS, KREIS_ARS, KREIS_NAME, POPULATION_DATE, TOWNS } from './plan.ts';
import type { Random } from './random.ts';
import type { Seed } from './seeds.ts';
import type { Tessellation } from './tessellation.ts';
import { chooseForest, groupIntoVerbaende, type CellGroup, type VerbandKind } from './verbaende.ts';

export type GemeindeKind = 'Stadt' | 'Gemeinde' | 'Gemeindefreies Gebiet';

export interface Gemeinde {
  readonly ars: string;
  readonly ags: string;
  readonly name: string;
  readonly kind: GemeindeKind;
  readonly population: number;
  readonly postcode: string;
  /** Where the village centre is: offers and providers cluster around it. */
  readonly centre: PlanePoint;
  readonly ring: Position[];
  readonly verband: Verband;
}

export interface Verband {
  readonly ars: string;
  readonly name: string;
  readonly kind: VerbandKind;
  readonly members: Gemeinde[];
  readonly geometry: Position[][][];
}

export interface District {
  readonly geometry: Position[][][];
  /** Both sorted by ARS, the order they are written in. */
  readonly verbaende: Verband[];
  readonly gemeinden: Gemeinde[];
}

const STADT_ROLES = new Set(['kreisstadt', 'amtsfreie-stadt', 'amtsstadt']);

/**
 * Village sizes are roughly log-normal (median ~550), drawn again when outside 110-2,950 rather
 * than clamped, so no two villages share a suspiciously round number; commuter belts are fuller.
 */
function villagePopulation(rng: Random, seed: Seed): number {
  const nearTown = TOWNS.some((t) => distance(seed, t) < 7);
  for (;;) {
    const raw = Math.round(Math.exp(Math.log(550) + 0.75 * rng.normal()) * (nearTown ? 1.8 : 1));
    if (raw >= 110 && raw <= 2_950) return raw;
  }
}

interface Cell {
  readonly name: string;
  readonly kind: GemeindeKind;
  readonly population: number;
}

function describeCells(seeds: readonly Seed[], forest: number, rng: Random): Cell[] {
  const names = new NameMaker(rng.fork('names'), TOWNS.map((t) => t.name));
  const popRng = rng.fork('population');
  return seeds.map((seed, i): Cell => {
    const town = seed.town;
    if (i === forest) return { name: names.forest(), kind: 'Gemeindefreies Gebiet', population: 0 };
    if (town) {
      return { name: town.name, kind: STADT_ROLES.has(town.role) ? 'Stadt' : 'Gemeinde', population: popRng.int(...town.population) };
    }
    return { name: names.village(), kind: 'Gemeinde', population: villagePopulation(popRng, seed) };
  });
}

/**
 * Keys as in Schleswig-Holstein: Gemeinde numbers follow the alphabet (as once assigned by the
 * statistics office), an amtsfreie Gemeinde's Verband number is 0 plus its Gemeinde number, and
 * Ämter are numbered 59xx by name.
 */
interface Numbering {
  /** Cell -> three-digit Gemeinde number. */
  readonly gemeinde: Map<number, string>;
  /** Group -> four-digit Verband number and name. */
  readonly verband: Map<CellGroup, [string, string]>;
}

function numberRegions(groups: readonly CellGroup[], cells: readonly Cell[]): Numbering {
  const alphabetical = cells.map((c, i) => ({ i, key: sortKey(c.name) })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const gemeinde = new Map(alphabetical.map(({ i }, k) => [i, String(k + 1).padStart(3, '0')]));
  // An Amt is named after its largest Gemeinde, where its administration sits.
  const population = (i: number): number => cells[i]?.population ?? 0;
  const largest = (g: CellGroup): string => cells[[...g.members].sort((a, b) => population(b) - population(a))[0] as number]?.name ?? '';
  const aemter = groups.filter((g) => g.kind === 'Amt').map((g) => ({ g, name: `Amt ${largest(g)}` }));
  aemter.sort((a, b) => (sortKey(a.name) < sortKey(b.name) ? -1 : 1));
  const verband = new Map<CellGroup, [string, string]>();
  aemter.forEach(({ g, name }, k) => verband.set(g, [`59${String(k + 1).padStart(2, '0')}`, name]));
  for (const g of groups) if (g.kind !== 'Amt') verband.set(g, [`0${gemeinde.get(g.seat)}`, cells[g.seat]?.name as string]);
  return { gemeinde, verband };
}

export function buildDistrict(seeds: readonly Seed[], tess: Tessellation, rng: Random): District {
  const forest = chooseForest(seeds, tess);
  const groups = groupIntoVerbaende(seeds, tess, forest);
  const cells = describeCells(seeds, forest, rng);
  const numbers = numberRegions(groups, cells);
  const verbaende = groups
    .map((g) => {
      const [number, name] = numbers.verband.get(g) as [string, string];
      return { g, name, ars: `${KREIS_AGS}${number}000` };
    })
    .sort((a, b) => (a.ars < b.ars ? -1 : 1))
    .map(({ g, name, ars }, vIndex) => {
      const geometry = dissolve(g.members.map((i) => tess.rings[i] as Position[]));
      const verband: Verband = { ars, name, kind: g.kind, members: [], geometry };
      const members = g.members.map((i, k): Gemeinde => {
        const number = numbers.gemeinde.get(i) as string;
        // Postcodes from 24001-24099, a block no real place uses; neighbours share one.
        const postcode = String(24001 + 6 * vIndex + 2 * (k % 3));
        const ring = tess.rings[i] as Position[];
        const keys = { ars: `${ars.slice(0, 9)}${number}`, ags: `${KREIS_AGS}${number}` };
        return { ...(cells[i] as Cell), ...keys, postcode, centre: seeds[i] as Seed, ring, verband };
      });
      verband.members.push(...members.sort((a, b) => (a.ars < b.ars ? -1 : 1)));
      return verband;
    });
  const geometry = dissolve(tess.rings);
  if (geometry.length !== 1 || geometry[0]?.length !== 1) throw new Error('the Kreis must be one polygon without holes');
  return { geometry, verbaende, gemeinden: verbaende.flatMap((v) => v.members) };
}

type RegionFeature = Feature<MultiPolygon, Record<string, string | number | null>>;

function regionFeature(props: Record<string, string | number | null>, coordinates: Position[][][]): RegionFeature {
  return { type: 'Feature', properties: props, geometry: { type: 'MultiPolygon', coordinates } };
}

/** Kreis, then Verbände, then Gemeinden, each by ARS; population only where it is registered. */
export function regionFeatures(district: District): RegionFeature[] {
  const date = POPULATION_DATE;
  const kreis = { level: 'kreis', ars: KREIS_ARS, ags: KREIS_AGS, name: KREIS_NAME, kind: 'Kreis', parent_ars: null };
  return [
    regionFeature({ ...kreis, population: null, population_date: date }, district.geometry),
    ...district.verbaende.map((v) => {
      const props = { level: 'verband', ars: v.ars, ags: null, name: v.name, kind: v.kind, parent_ars: KREIS_ARS };
      return regionFeature({ ...props, population: null, population_date: date }, v.geometry);
    }),
    ...district.gemeinden.map((g) => {
      const props = { level: 'gemeinde', ars: g.ars, ags: g.ags, name: g.name, kind: g.kind, parent_ars: g.verband.ars };
      return regionFeature({ ...props, population: g.population, population_date: date }, [[g.ring]]);
    }),
  ];
}
