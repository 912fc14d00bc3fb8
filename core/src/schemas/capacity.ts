import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Text } from './common.ts';

const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** One capacity report of an allocation unit; appended, never overwritten. */
export const CapacityReportInput = Type.Object(
  {
    report_date: IsoDate,
    housing_free: Count,
    housing_free_barrier_free: Count,
    shared_accommodation_places: Count,
    kita_free: Count,
    school_free: Count,
    language_course_free: Count,
    gp_accepting: Count,
    refugees_housed: Count,
    intake_ytd: Count,
    note: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
);
export type CapacityReportInput = Static<typeof CapacityReportInput>;

export const CAPACITY_FIELDS = [
  'housing_free', 'housing_free_barrier_free', 'shared_accommodation_places', 'kita_free', 'school_free',
  'language_course_free', 'gp_accepting', 'refugees_housed', 'intake_ytd',
] as const;
