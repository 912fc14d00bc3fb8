// One descriptor per record field: the single place that says what a field is. The TypeBox
// schema (the API contract), the CSV import's header mapping and cell conversion, the CSV
// export's columns, the form and the detail view are derived from it. SQL stays hand-written in
// the repositories; tests/unit/field-sql.test.ts checks its column lists against the descriptors.
import type { TSchema } from 'typebox';

/** The interface languages (core/src/registries/lang.ts). A third one is a dictionary in the client plus a label here per field. */
import { LANGS, type Lang } from '../registries/lang.ts';
export { LANGS, type Lang };

/** How a CSV cell is read: text as is, numbers with a decimal comma, ja/nein, lists split at | or ,, German dates. */
export type CellType = 'text' | 'integer' | 'boolean' | 'list' | 'date';

/** The form control that edits a field. */
export type Control =
  | 'text' | 'textarea' | 'email' | 'tel' | 'url' | 'number' | 'date'
  /** A select with "unbekannt" / "ja" / "nein": null stays null. */
  | 'tristate'
  /** A select filled from a vocabulary or another resource (categories, providers). */
  | 'select'
  | 'checkboxes'
  /** A list typed as comma-separated text. */
  | 'list-text';

export interface FieldDescriptor<S extends TSchema = TSchema> {
  /** Type and limits: the field's part of the JSON contract. */
  schema: S;
  cell: CellType;
  /** The table column, where it is not the key (offers.category_key for category). */
  column?: string;
  /** The name in the record as read back, where it is not the key (a need's region_ars reads as region_key). */
  property?: string;
  /** What the form, the detail view and a conflict view call the field. */
  label: Record<Lang, string>;
  /** Further CSV headers (after normalizeHeader()) that name the field; its key always does. */
  aliases: readonly string[];
  /** The CSV export writes the field in a column of its key; false: not exported. */
  exported: boolean;
  /** The form edits it with this control; null: not shown in the form, carried through unchanged. */
  control: Control | null;
  /** A boolean whose null means "unknown" (not "no"): kept apart through form, API, import, export. */
  triState?: boolean;
}

/** Keeps the literal keys and schema types of a descriptor table (for Static<> and key unions). */
export function defineFields<T extends Record<string, FieldDescriptor>>(fields: T): T {
  return fields;
}

/** The TypeBox properties of a descriptor table, in its order. */
export function schemaProperties<T extends Record<string, FieldDescriptor>>(fields: T): { [K in keyof T]: T[K]['schema'] } {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])) as { [K in keyof T]: T[K]['schema'] };
}

/** The table column that stores a field. */
export const columnOf = (key: string, f: FieldDescriptor): string => f.column ?? key;

/** The name a field has in the record as read (features, exports, history snapshots). */
export const propertyOf = (key: string, f: FieldDescriptor): string => f.property ?? key;

/** header alias -> field key, every key naming itself. */
export function aliasMap(fields: Record<string, FieldDescriptor>): Map<string, string> {
  return new Map([
    ...Object.keys(fields).map((k) => [k, k] as const),
    ...Object.entries(fields).flatMap(([k, f]) => f.aliases.map((a) => [a, k] as const)),
  ]);
}
