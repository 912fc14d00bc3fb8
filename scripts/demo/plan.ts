/**
 * The fixed frame of the fictional Kreis Demo-Förde: its keys, its towns and the numbers the
 * random parts are drawn around. Everything else follows from these and the seed.
 */
export const SEED = 20251231;
export const KREIS_NAME = 'Kreis Demo-Förde';
/** 01 = Schleswig-Holstein, 0 = no Regierungsbezirk, 99 = a Kreis number no real Kreis uses. */
export const KREIS_AGS = '01099';
export const KREIS_ARS = `${KREIS_AGS}0000000`;
export const POPULATION_DATE = '2025-12-31';

/** How many Gemeinden the district is cut into (towns included). */
export const GEMEINDE_COUNT = 100;
/** Ämter besides the amtsfreie Gemeinden and the gemeindefreie Gebiet. */
export const AMT_COUNT = 10;

export type TownRole = 'kreisstadt' | 'amtsfreie-stadt' | 'amtsfreie-gemeinde' | 'amtsstadt' | 'amtsgemeinde';

export interface TownSite {
  readonly name: string;
  readonly role: TownRole;
  /** Position on the kilometre plane around the origin (see plane.ts). */
  readonly x: number;
  readonly y: number;
  /** Spacing to neighbouring seeds: a larger value gives the town a larger Gemeinde. */
  readonly radius: number;
  readonly population: readonly [number, number];
}

export const TOWNS: readonly TownSite[] = [
  { name: 'Demohaven', role: 'kreisstadt', x: 1.5, y: 2.5, radius: 7, population: [29_000, 31_500] },
  { name: 'Vehrbüttel', role: 'amtsfreie-stadt', x: -11, y: 10, radius: 5.5, population: [13_000, 14_800] },
  { name: 'Sarvstedt', role: 'amtsfreie-gemeinde', x: 11, y: -10, radius: 5, population: [8_500, 10_500] },
  { name: 'Bliekhusen', role: 'amtsstadt', x: -9, y: -12, radius: 4.5, population: [6_000, 7_500] },
  { name: 'Fiernhagen', role: 'amtsgemeinde', x: 13, y: 12, radius: 4.5, population: [5_000, 6_200] },
];
