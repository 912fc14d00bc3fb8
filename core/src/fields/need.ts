// The fields of a need (Bedarf: a gap in offers, a need for information or training), in the
// order of the API contract. The input schemas (core/src/schemas/needs.ts, the partner's subset
// in need-events.ts), the CSV export's columns, the partner's report form and the detail view
// derive from here; the SQL in server/src/repositories/needs.repository.ts is checked against
// it by tests/unit/field-sql.test.ts. Needs have no CSV import: no header aliases.
import { Type } from 'typebox';
import { Ars, CategoryKeySchema, Nullable, Text } from '../schemas/common.ts';
import { defineFields } from './types.ts';

export const NEED_KINDS = ['angebotsluecke', 'information', 'fortbildung'] as const;
export const NEED_STATUSES = ['neu', 'in_bearbeitung', 'erledigt'] as const;
export const NEED_PRIORITIES = ['niedrig', 'mittel', 'hoch'] as const;
export const NEED_REGION_LEVELS = ['gemeinde', 'verband', 'kreis'] as const;

const opt = Type.Optional;

export const NEED_FIELDS = defineFields({
  // The region is stored as regions.id, found by level and ARS; read back as region_key.
  region_ars: {
    schema: Ars, cell: 'text', column: 'region_id', property: 'region_key', label: { de: 'Region', en: 'Region' },
    aliases: [], exported: true, control: 'select',
  },
  region_level: {
    schema: Type.Enum([...NEED_REGION_LEVELS]), cell: 'text', column: 'region_id', label: { de: 'Gebietsebene', en: 'Region level' },
    aliases: [], exported: true, control: null,
  },
  category: { schema: opt(Nullable(CategoryKeySchema)), cell: 'text', column: 'category_key', label: { de: 'Kategorie', en: 'Category' }, aliases: [], exported: true, control: 'select' },
  kind: { schema: Type.Enum([...NEED_KINDS]), cell: 'text', label: { de: 'Art', en: 'Type' }, aliases: [], exported: true, control: 'select' },
  title: { schema: Type.String({ minLength: 1, maxLength: 200 }), cell: 'text', label: { de: 'Titel', en: 'Title' }, aliases: [], exported: true, control: 'text' },
  description: { schema: opt(Nullable(Text(4000))), cell: 'text', label: { de: 'Beschreibung', en: 'Description' }, aliases: [], exported: true, control: 'textarea' },
  priority: { schema: opt(Type.Enum([...NEED_PRIORITIES])), cell: 'text', label: { de: 'Priorität', en: 'Priority' }, aliases: [], exported: true, control: 'select' },
  // Changed in the inbox and the detail view's status control, not in the report form.
  status: { schema: opt(Type.Enum([...NEED_STATUSES])), cell: 'text', label: { de: 'Status', en: 'Status' }, aliases: [], exported: true, control: null },
  reported_by: { schema: opt(Nullable(Text(200))), cell: 'text', label: { de: 'Gemeldet von', en: 'Reported by' }, aliases: [], exported: true, control: null },
});

export type NeedFieldKey = keyof typeof NEED_FIELDS;
export const NEED_FIELD_KEYS = Object.keys(NEED_FIELDS) as NeedFieldKey[];
