import { describe, expect, it } from 'vitest';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '../../core/src/fields/offer.ts';
import { LANGS, columnOf, propertyOf, type FieldDescriptor } from '../../core/src/fields/types.ts';
import { NEED_FIELDS, NEED_FIELD_KEYS } from '../../core/src/fields/need.ts';
import { CAPACITY_REPORT_FIELDS, CAPACITY_REPORT_KEYS } from '../../core/src/fields/capacity.ts';
import { NeedInput } from '../../core/src/schemas/needs.ts';
import { CAPACITY_FIELDS, CapacityReport, CapacityReportInput } from '../../core/src/schemas/capacity.ts';
import { CAPACITY_COLUMN_ALIASES, capacityColumnOf } from '../../core/src/capacity-import.ts';
import { INSERT as NEED_INSERT, NEED_FEATURE, UPDATE as NEED_UPDATE, UPSERT as NEED_UPSERT } from '../../server/src/repositories/needs.repository.ts';
import {
  APPEND_MANY as CAPACITY_APPEND_MANY, APPEND_ONE as CAPACITY_APPEND_ONE, HISTORY as CAPACITY_HISTORY, REPORT_JSON as CAPACITY_REPORT_JSON,
} from '../../server/src/repositories/capacity.repository.ts';
import { OfferProperties } from '../../core/src/schemas/offers.ts';
import { OFFER_COLUMN_ALIASES, mapOfferHeader } from '../../core/src/offer-import.ts';
import { UPSERT, WRITE_COLUMNS, WRITE_VALUES } from '../../server/src/repositories/offers.repository.ts';
import { OFFER_PROPERTIES } from '../../server/src/repositories/offer-layer.repository.ts';
import { NEED_COLUMNS, OFFER_COLUMNS, REGION_COLUMNS } from '../../server/src/services/export.ts';

// The SQL stays hand-written; these checks make a field that a statement forgot fail here
// instead of being lost on a save, an import or an export.
const words = (list: string) => list.split(',').map((c) => c.trim()).filter(Boolean);
const between = (sql: string, start: string, end: string) => {
  const a = sql.indexOf(start);
  const b = sql.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`no ${start} ... ${end} in the statement`);
  return sql.slice(a + start.length, b);
};
// A JSON member in SQL, as json_build_object('key', x.col) or as a record column x.col AS "key" (json-sql.ts).
const member = (key: string, sql: string) => new RegExp(`'${key}', ${sql.replace('.', '\\.')}\\b|${sql.replace('.', '\\.')} AS "${key}"`);

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
    for (const f of fields) expect(OFFER_PROPERTIES).toMatch(member(f.key, `o.${f.column}`));
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

describe('need SQL column lists against the field descriptors', () => {
  // The region is stored as regions.id (found by level and ARS); every other field in its own column.
  const own = NEED_FIELD_KEYS.filter((k) => columnOf(k, NEED_FIELDS[k]) !== 'region_id').map((k) => ({ key: k, column: columnOf(k, NEED_FIELDS[k]) }));

  it('inserts and updates every field, with one value each', () => {
    const inserted = words(between(NEED_INSERT, 'INSERT INTO needs (', ')'));
    expect(inserted).toEqual(['region_id', ...own.map((f) => f.column)]);
    expect(NEED_INSERT).toContain('r.level = $1 AND r.ars = $2');
    expect(words(between(NEED_INSERT, 'SELECT r.id,', 'FROM'))).toHaveLength(own.length);
    const set = words(between(NEED_UPDATE, 'SET', 'version =')).map((c) => c.split('=')[0]!.trim());
    expect(set).toEqual(['region_id', ...own.map((f) => f.column)]);
  });

  it('imports every field from the JSON rows', () => {
    expect(words(between(NEED_UPSERT, 'INSERT INTO needs AS n (', ')'))).toEqual(expect.arrayContaining(['region_id', ...own.map((f) => f.column)]));
    const recordset = words(between(NEED_UPSERT, 'AS i(', ')\n')).map((c) => c.split(/\s+/)[0]);
    expect(recordset).toEqual(expect.arrayContaining(NEED_FIELD_KEYS));
  });

  it('reads every field into the feature properties under its read name', () => {
    for (const f of own) expect(NEED_FEATURE).toMatch(member(f.key, `n.${f.column}`));
    expect(NEED_FEATURE).toMatch(member(propertyOf('region_ars', NEED_FIELDS.region_ars), 'r.ars'));
    expect(NEED_FEATURE).toMatch(member('region_level', 'r.level'));
  });

  it('derives the schema and the CSV export columns from the descriptors', () => {
    expect(Object.keys(NeedInput.properties)).toEqual(NEED_FIELD_KEYS);
    const names = NEED_COLUMNS.map((c) => c.name);
    for (const k of NEED_FIELD_KEYS) if (NEED_FIELDS[k].exported) expect(names).toContain(propertyOf(k, NEED_FIELDS[k]));
  });
});

describe('capacity report SQL column lists against the field descriptors', () => {
  const keys = CAPACITY_REPORT_KEYS;

  it('appends every field, one report or many, and returns it', () => {
    for (const sql of [CAPACITY_APPEND_ONE, CAPACITY_APPEND_MANY]) {
      expect(words(between(sql, 'INSERT INTO capacity_reports (', ')'))).toEqual(['region_id', ...keys]);
      const returned = words(between(sql, 'RETURNING', 'created_at'));
      expect(returned).toEqual(expect.arrayContaining([...keys]));
    }
    expect(CAPACITY_APPEND_ONE.match(/\$\d+/g)).toHaveLength(keys.length + 1);
    const recordset = words(between(CAPACITY_APPEND_MANY, 'AS i(', ')\n')).map((c) => c.split(/\s+/)[0]);
    expect(recordset).toEqual(['ars', ...keys]);
    expect(words(between(CAPACITY_APPEND_MANY, 'SELECT r.id,', 'FROM'))).toEqual(keys.map((k) => `i.${k}`));
  });

  it('reads every field back (a unit\'s history and its latest report)', () => {
    for (const sql of [CAPACITY_HISTORY, CAPACITY_REPORT_JSON]) for (const k of keys) expect(sql).toMatch(member(k, `c.${k}`));
  });

  it('derives the schemas, the import headers and the region export from the descriptors', () => {
    expect(Object.keys(CapacityReportInput.properties)).toEqual(keys);
    expect(Object.keys(CapacityReport.properties)).toEqual(['id', ...keys, 'created_at']);
    expect(CAPACITY_FIELDS).toEqual(keys.filter((k) => CAPACITY_REPORT_FIELDS[k].cell === 'integer'));
    for (const k of keys) {
      expect(CAPACITY_COLUMN_ALIASES[k]).toEqual(CAPACITY_REPORT_FIELDS[k].aliases);
      for (const alias of [k, ...CAPACITY_REPORT_FIELDS[k].aliases]) expect(capacityColumnOf(alias), alias).toBe(k);
    }
    const names = REGION_COLUMNS.map((c) => c.name);
    for (const k of keys) expect(names.includes(`capacity_${k}`), k).toBe(CAPACITY_REPORT_FIELDS[k].exported);
  });

  it('labels every need and report field in every interface language', () => {
    for (const table of [NEED_FIELDS, CAPACITY_REPORT_FIELDS] as Record<string, FieldDescriptor>[]) {
      for (const [k, f] of Object.entries(table)) for (const lang of LANGS) expect(f.label[lang], `${k} ${lang}`).toBeTruthy();
    }
  });
});
