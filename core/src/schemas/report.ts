import { Type, type Static } from 'typebox';
import { Ars, IsoDate, Nullable } from './common.ts';
import { CAPACITY_FIELDS } from './capacity.ts';

// The contract of /api/dashboard/report: the capacity figures of a scope at the reporting date
// and the change since the previous reporting date, for the Ministry's printed report.

export const ReportQuery = Type.Object(
  { parent: Type.Optional(Ars) },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

const Int = Type.Integer();
const COUNTS = Object.fromEntries(CAPACITY_FIELDS.map((f) => [f, Int])) as { [K in (typeof CAPACITY_FIELDS)[number]]: typeof Int };
const Sums = Type.Object(
  { units: Type.Integer({ description: 'allocation units counted' }), ...COUNTS },
  { additionalProperties: false },
);

export const ReportChanges = Type.Object(
  {
    parent: Nullable(Ars),
    report_date: Nullable(IsoDate),
    previous_date: Nullable(IsoDate),
    units_total: Type.Integer({ description: 'allocation units in the scope' }),
    oldest_report_date: Nullable(IsoDate),
    /** Every unit's latest report, summed. */
    current: Sums,
    /** The units that had reported by previous_date: their latest report by then … */
    before: Sums,
    /** … and the same units at report_date (the change is after − before). */
    after: Sums,
  },
  { additionalProperties: false },
);
export type ReportChanges = Static<typeof ReportChanges>;
