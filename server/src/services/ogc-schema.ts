import { REGION_COLUMNS_FLAT, type ColumnType } from '@ilk/core/registries/region-columns';

// The schema of a collection's features (OGC API Features Part 5 "returnables", JSON Schema), linked
// from the collection as rel=describedBy. GDAL's OAPIF driver reads it to type its fields instead of
// guessing from the first page, where a column that is empty there (capacities at Gemeinde level)
// would become text. GDAL takes `type` as one word, so nullability is said in the description
// rather than as ["integer", "null"], which it cannot read.

export const SCHEMA_TYPE = 'application/schema+json';

export interface PropertySchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  format?: 'date' | 'date-time';
  description?: string;
}

export const columnSchema = (type: ColumnType, description?: string): PropertySchema =>
  type === 'date' ? { type: 'string', format: 'date', ...(description ? { description } : {}) } : { type, ...(description ? { description } : {}) };

/** The flat region row (core/src/registries/region-columns.ts) as schema properties. */
export const REGION_PROPERTIES: Readonly<Record<string, PropertySchema>> = Object.fromEntries(
  REGION_COLUMNS_FLAT.map((c) => [c.name, columnSchema(c.type, c.description)]),
);

/** A GeoJSON Feature whose properties are described by `properties`. */
export function featureSchema(id: string, title: string, properties: Readonly<Record<string, PropertySchema>>) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    title,
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: ['string', 'integer'] },
      geometry: { type: 'object', description: 'GeoJSON geometry in CRS84' },
      properties: { type: 'object', properties },
    },
  };
}
