import { Type, type Static } from 'typebox';
import { Ars, CategoryKeySchema, SubcategoryKey } from './common.ts';

// The contract of /api/coverage: how far each Gemeinde is from the nearest offer of a category,
// and which share of the population lives within given distances.

export const COVERAGE_LEVELS = ['gemeinde', 'verband', 'kreis', 'land'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];
export const DEFAULT_THRESHOLDS_KM = [5, 10, 20] as const;
export const MAX_THRESHOLD_KM = 200;
export const MAX_THRESHOLDS = 10;

const offerFilter = {
  category: CategoryKeySchema,
  subcategory: Type.Optional(SubcategoryKey),
  free_only: Type.Optional(Type.Boolean({ default: false, description: 'only offers with free places' })),
  parent: Type.Optional(Ars),
};

export const CoverageQuery = Type.Object(
  {
    ...offerFilter,
    thresholds: Type.Optional(Type.String({
      pattern: `^[0-9]{1,3}(,[0-9]{1,3}){0,${MAX_THRESHOLDS - 1}}$`, default: DEFAULT_THRESHOLDS_KM.join(','),
      description: `distances in whole km (1-${MAX_THRESHOLD_KM}), comma-separated`,
    })),
    level: Type.Optional(Type.Enum([...COVERAGE_LEVELS], { default: 'gemeinde' })),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

export const WhiteSpotQuery = Type.Object(
  { ...offerFilter, threshold_km: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_THRESHOLD_KM, default: 10 })) },
  { additionalProperties: false },
);
export type WhiteSpotQuery = Static<typeof WhiteSpotQuery>;

/**
 * One row of the Kreis or Land table, per threshold: `within_<km>km`, the share of the population
 * within reach, and `white_spots_<km>km`, the inhabited Gemeinden out of reach.
 */
export const CoverageRow = Type.Object(
  {
    key: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    population: Type.Integer(),
    gemeinden: Type.Integer(),
    mean_distance_m: Type.Union([Type.Number(), Type.Null()]),
    max_distance_m: Type.Union([Type.Number(), Type.Null()]),
  },
  {
    patternProperties: { '^within_[0-9]+km$': Type.Union([Type.Number(), Type.Null()]), '^white_spots_[0-9]+km$': Type.Integer() },
    additionalProperties: false,
  },
);

export const CoverageTable = Type.Object({
  level: Type.Enum(['kreis', 'land']),
  category: Type.String(),
  subcategory: Type.Union([Type.String(), Type.Null()]),
  free_only: Type.Boolean(),
  thresholds_km: Type.Array(Type.Integer()),
  rows: Type.Array(CoverageRow),
  /** The same figures over all Gemeinden of the rows (key ''); null when there are none. */
  total: Type.Union([CoverageRow, Type.Null()]),
});
export type CoverageTable = Static<typeof CoverageTable>;

/**
 * "5,10,20" → [5, 10, 20]: whole km, sorted, without repeats; null when one is 0 or above the
 * maximum (the schema has already checked the shape).
 */
export function parseThresholds(raw: string | undefined): number[] | null {
  const km = [...new Set((raw ?? DEFAULT_THRESHOLDS_KM.join(',')).split(',').map(Number))].sort((a, b) => a - b);
  return km.every((k) => Number.isInteger(k) && k >= 1 && k <= MAX_THRESHOLD_KM) ? km : null;
}
