import { Type, type Static } from 'typebox';
import { Ars, CategoryKeySchema, Nullable, Text } from './common.ts';

export const NEED_KINDS = ['angebotsluecke', 'information', 'fortbildung'] as const;
export const NEED_STATUSES = ['neu', 'in_bearbeitung', 'erledigt'] as const;
export const NEED_PRIORITIES = ['niedrig', 'mittel', 'hoch'] as const;

export const NeedInput = Type.Object(
  {
    region_ars: Ars,
    region_level: Type.Enum(['gemeinde', 'verband', 'kreis']),
    category: Type.Optional(Nullable(CategoryKeySchema)),
    kind: Type.Enum([...NEED_KINDS]),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Text(4000))),
    priority: Type.Optional(Type.Enum([...NEED_PRIORITIES])),
    status: Type.Optional(Type.Enum([...NEED_STATUSES])),
    reported_by: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
);
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
