import { Type, type Static } from 'typebox';
import { Ars, Nullable } from './common.ts';
import { schemaProperties } from '../fields/types.ts';
import { CAPACITY_COUNT_KEYS, CAPACITY_REPORT_FIELDS, type CapacityCountKey } from '../fields/capacity.ts';

// The fields themselves (type, limits, labels, CSV names, form control) live in core/src/fields/capacity.ts.

/** The nine counts of a report, in the descriptors' order. */
export const CAPACITY_FIELDS: readonly CapacityCountKey[] = CAPACITY_COUNT_KEYS;
export type CapacityField = CapacityCountKey;

const REPORT_PROPERTIES = schemaProperties(CAPACITY_REPORT_FIELDS);
const { note: _note, ...STORED_PROPERTIES } = REPORT_PROPERTIES;

/** One capacity report of an allocation unit; appended, never overwritten. */
export const CapacityReportInput = Type.Object(REPORT_PROPERTIES, { additionalProperties: false });
export type CapacityReportInput = Static<typeof CapacityReportInput>;

// Capacities in bulk (issue 15): the units of a Kreis with their latest report, a batch of
// reports with optimistic locking per unit, and the spreadsheet import.

/** A stored report as the API returns it. */
export const CapacityReport = Type.Object({
  id: Type.Integer(),
  ...STORED_PROPERTIES,
  note: Nullable(Type.String()),
  created_at: Type.String(),
});
export type CapacityReport = Static<typeof CapacityReport>;

export const CapacityUnitsQuery = Type.Object({ kreis: Ars }, { additionalProperties: false });
export type CapacityUnitsQuery = Static<typeof CapacityUnitsQuery>;

export const CapacityUnit = Type.Object({
  ars: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  population: Nullable(Type.Integer()),
  version: Type.Integer({ minimum: 0, description: 'id of the report entered last, 0 when the unit has none; send it back with a batch' }),
  /** The report in force: the latest report date (then the highest id), as planning reads it. */
  report: Nullable(CapacityReport),
});
export type CapacityUnit = Static<typeof CapacityUnit>;

export const CapacityUnits = Type.Object({
  kreis: Type.Object({ ars: Type.String(), name: Type.String() }),
  units: Type.Array(CapacityUnit),
});
export type CapacityUnits = Static<typeof CapacityUnits>;

export const MAX_CAPACITY_BATCH = 2000;

export const CapacityBatchRow = Type.Object(
  {
    ars: Ars,
    version: Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1, description: 'the unit\'s version as read from GET /api/capacity/units' }),
    ...CapacityReportInput.properties,
  },
  { additionalProperties: false },
);
export type CapacityBatchRow = Static<typeof CapacityBatchRow>;

export const CapacityBatch = Type.Object(
  { reports: Type.Array(CapacityBatchRow, { minItems: 1, maxItems: MAX_CAPACITY_BATCH }) },
  { additionalProperties: false },
);
export type CapacityBatch = Static<typeof CapacityBatch>;

export const CapacityWritten = Type.Object({ ars: Type.String(), id: Type.Integer(), version: Type.Integer() });
export const CapacityBatchResult = Type.Object({ written: Type.Array(CapacityWritten) });
export type CapacityBatchResult = Static<typeof CapacityBatchResult>;

/** One unit whose version moved on since it was read (412 problem member `conflicts`). */
export interface CapacityConflict {
  ars: string;
  name: string;
  expected: number;
  current: number;
}

export const CapacityImportQuery = Type.Object(
  {
    kreis: Type.Optional(Ars),
    dry_run: Type.Optional(Type.Boolean({ default: false, description: 'validate and report, write nothing' })),
    report_date: Type.Optional(Type.String({ format: 'date', description: 'the report date of rows that give none' })),
  },
  { additionalProperties: false },
);
export type CapacityImportQuery = Static<typeof CapacityImportQuery>;

/** A count that differs from the unit's latest report (from: null when the unit has none). */
const Change = Type.Object({ from: Nullable(Type.Integer()), to: Type.Integer() });

export const CapacityImportRow = Type.Object({
  row: Type.Integer({ description: 'the spreadsheet row (header = row 1); for CSV the line the record starts on' }),
  ars: Type.String(),
  name: Type.String(),
  action: Type.Enum(['create', 'unchanged']),
  changes: Type.Record(Type.String(), Change, { description: 'the counts that differ from the latest report; report_date and note are not listed' }),
});
export type CapacityImportRow = Static<typeof CapacityImportRow>;

export const CapacityImportReport = Type.Object({
  dry_run: Type.Boolean(),
  format: Type.Enum(['csv', 'xlsx']),
  sheet: Type.Optional(Type.String()),
  ignored_sheets: Type.Array(Type.String()),
  rows: Type.Array(CapacityImportRow),
  written: Type.Integer({ description: 'reports written (0 on a dry run)' }),
  unchanged: Type.Integer({ description: 'rows equal to their unit\'s report in force: not written (also counted on a dry run)' }),
});
export type CapacityImportReport = Static<typeof CapacityImportReport>;
