import { Type, type Static } from 'typebox';
import { Ars, CategoryKeySchema } from './common.ts';
import { schemaProperties } from '../fields/types.ts';
import { NEED_FIELDS, NEED_STATUSES } from '../fields/need.ts';

// The fields themselves (type, limits, labels, export, form control) live in core/src/fields/need.ts.
export { NEED_KINDS, NEED_PRIORITIES, NEED_STATUSES } from '../fields/need.ts';

export const NeedInput = Type.Object(schemaProperties(NEED_FIELDS), { additionalProperties: false });
export type NeedInput = Static<typeof NeedInput>;

export const NeedQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...NEED_STATUSES])),
    category: Type.Optional(CategoryKeySchema),
    region: Type.Optional(Ars),
  },
  { additionalProperties: false },
);
export type NeedQuery = Static<typeof NeedQuery>;
