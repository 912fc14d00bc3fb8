import { Type, type Static } from 'typebox';

export const IMPORT_FORMATS = ['geojson', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const OfferImportQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum([...IMPORT_FORMATS], { description: 'defaults to the content type: text/csv is csv, JSON is geojson' })),
    dry_run: Type.Optional(Type.Boolean({ default: false, description: 'validate and report, write nothing' })),
  },
  { additionalProperties: false },
);
export type OfferImportQuery = Static<typeof OfferImportQuery>;

const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() });

export const ImportRowReport = Type.Object({
  row: Type.Integer({ description: '1-based data row (CSV, header not counted) or feature index (GeoJSON)' }),
  line: Type.Optional(Type.Integer({ description: 'CSV: the line the row starts on, header = line 1' })),
  status: Type.Enum(['insert', 'update', 'unchanged', 'error'], { description: 'unchanged: the row equals its stored offer (found by external_id) and is not written' }),
  external_id: Type.Union([Type.String(), Type.Null()]),
  errors: Type.Array(FieldErrorSchema),
});
export type ImportRowReport = Static<typeof ImportRowReport>;

export const ImportReport = Type.Object({
  dry_run: Type.Boolean(),
  rows: Type.Array(ImportRowReport),
  summary: Type.Object({ insert: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() }),
});
export type ImportReport = Static<typeof ImportReport>;
