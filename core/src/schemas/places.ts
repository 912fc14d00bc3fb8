import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

// The places a partner can report a need for, by name (GET /api/partner/regions) and on a map
// (GET /api/partner/regions/shapes). Public administrative facts only: no data of the layers.

export const PartnerPlace = Type.Object({
  key: Type.String({ description: 'ARS, 12 digits' }),
  level: Type.Enum(['verband', 'gemeinde']),
  kind: Type.String({ description: 'as the boundary data name it: Amt, Amtsfreie Gemeinde, Gemeinde, Stadt, ...' }),
  name: Type.String(),
  parent_name: Nullable(Type.String({ description: 'the Verband (Amt) of a Gemeinde; null for a Verband' })),
  kreis_name: Nullable(Type.String()),
});
export type PartnerPlace = Static<typeof PartnerPlace>;

export const PartnerPlaces = Type.Object({ regions: Type.Array(PartnerPlace) });

export const PlaceShapesQuery = Type.Object(
  { level: Type.Optional(Type.Enum(['verband', 'gemeinde'], { default: 'gemeinde' })) },
  { additionalProperties: false },
);
export type PlaceShapesQuery = Static<typeof PlaceShapesQuery>;
