import { Type, type Static } from 'typebox';
import { Ars, Nullable } from './common.ts';

// What is known about each Kreis and what is still missing: the first screen of a Kreis whose
// official data are imported but whose units have not reported yet (GET /api/completeness).

export const CompletenessQuery = Type.Object({ kreis: Type.Optional(Ars) }, { additionalProperties: false });
export type CompletenessQuery = Static<typeof CompletenessQuery>;

/** A unit of capacity reporting (an Amt or an amtsfreie Gemeinde) and its latest report. */
export const CompletenessUnit = Type.Object({
  key: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  population: Nullable(Type.Integer()),
  /** Date of the latest capacity report; null: no report yet ("noch keine Meldung"). */
  report_date: Nullable(Type.String({ format: 'date' })),
  reports: Type.Integer({ minimum: 0 }),
});

export const CompletenessKreis = Type.Object({
  key: Type.String(),
  name: Type.String(),
  population: Nullable(Type.Integer()),
  area_km2: Nullable(Type.Number()),
  gemeinden: Type.Integer({ minimum: 0 }),
  units: Type.Array(CompletenessUnit),
  units_reported: Type.Integer({ minimum: 0 }),
  /** Every category, also those without an offer in the Kreis (count 0). */
  offers: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer({ minimum: 0 }) })),
  offers_total: Type.Integer({ minimum: 0 }),
  /** Needs not yet done (status neu or in_bearbeitung). */
  open_needs: Type.Integer({ minimum: 0 }),
});
export type CompletenessKreis = Static<typeof CompletenessKreis>;

export const Completeness = Type.Object({ kreise: Type.Array(CompletenessKreis) });
export type Completeness = Static<typeof Completeness>;
