import { describe, expect, it } from 'vitest';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '../../core/src/fields/offer.ts';
import { columnOf } from '../../core/src/fields/types.ts';
import { OfferProperties } from '../../core/src/schemas/offers.ts';
import { OFFER_COLUMN_ALIASES, mapOfferHeader } from '../../core/src/offer-import.ts';
import { UPSERT, WRITE_COLUMNS, WRITE_VALUES } from '../../server/src/repositories/offers.repository.ts';
import { OFFER_PROPERTIES } from '../../server/src/repositories/offer-layer.repository.ts';
import { OFFER_COLUMNS } from '../../server/src/services/export.ts';

// The SQL stays hand-written; these checks make a field that a statement forgot fail here
// instead of being lost on a save, an import or an export.
const words = (list: string) => list.split(',').map((c) => c.trim()).filter(Boolean);
const between = (sql: string, start: string, end: string) => {
  const a = sql.indexOf(start);
  const b = sql.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`no ${start} ... ${end} in the statement`);
  return sql.slice(a + start.length, b);
};
const fields = OFFER_FIELD_KEYS.map((k) => ({ key: k, column: columnOf(k, OFFER_FIELDS[k]) }));

describe('offer SQL column lists against the field descriptors', () => {
  it('writes every field, in the descriptors\' order, with one value each', () => {
    expect(words(WRITE_COLUMNS)).toEqual([...fields.map((f) => f.column), 'geom']);
    const placeholders = WRITE_VALUES.match(/\$\d+/g)!;
    expect(placeholders).toHaveLength(fields.length + 2);
  });

  it('upserts every field on import: inserted, read from the JSON rows, updated on conflict', () => {
    expect(words(between(UPSERT, 'INSERT INTO offers AS o (', ')'))).toEqual(expect.arrayContaining(fields.map((f) => f.column)));
    const recordset = words(between(UPSERT, 'AS i(', ')\n  ON CONFLICT')).map((c) => c.split(/\s+/)[0]);
    // The provider is linked by its external id on import (the ids of another database mean nothing).
    expect(recordset).toEqual(expect.arrayContaining(fields.filter((f) => f.key !== 'provider_id').map((f) => f.key)));
    const set = words(between(UPSERT, 'DO UPDATE SET', 'version =')).map((c) => c.split('=')[0]!.trim());
    expect(set).toEqual(expect.arrayContaining(fields.filter((f) => f.key !== 'external_id').map((f) => f.column)));
  });

  it('reads every field into the feature properties (layer, single read, exports)', () => {
    for (const f of fields) expect(OFFER_PROPERTIES).toContain(`'${f.key}', o.${f.column}`);
  });

  it('derives the schema, the CSV import headers and the CSV export columns from the descriptors', () => {
    expect(Object.keys(OfferProperties.properties)).toEqual(OFFER_FIELD_KEYS);
    const names = OFFER_COLUMNS.map((c) => c.name);
    for (const k of OFFER_FIELD_KEYS) {
      if (OFFER_FIELDS[k].exported) expect(names).toContain(k);
      expect(OFFER_COLUMN_ALIASES[k]).toEqual(OFFER_FIELDS[k].aliases);
    }
    // Every alias of every field maps back to it.
    for (const k of OFFER_FIELD_KEYS) {
      for (const alias of OFFER_FIELDS[k].aliases) expect(mapOfferHeader([alias, 'name', 'category', 'ags']).columns[0]).toBe(k);
    }
  });

  it('labels every field in every interface language, and marks each boolean tri-state or not', () => {
    for (const k of OFFER_FIELD_KEYS) {
      const f = OFFER_FIELDS[k] as { label: Record<string, string>; cell: string; triState?: boolean };
      expect(f.label.de, k).toBeTruthy();
      expect(f.label.en, k).toBeTruthy();
      if (f.cell === 'boolean') expect(f.triState, k).toBe(true);
    }
  });
});
