import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_LIST, SUBCATEGORY_LIST } from '@ilk/core';
import { listCategories } from '../../../server/src/repositories/categories.repository.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

// The category registry in core is the source of truth; the offer_categories and
// offer_subcategories tables (seeded by migrations, referenced by offers and needs, labels keyed
// by language since migration 015) must equal it row for row.
describe.each(BACKENDS)('offer_categories and offer_subcategories equal the category registry (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await openTestDatabase(kind); });
  afterAll(async () => { await t?.dispose(); });

  it('has the same categories: keys, labels, colours and order', async () => {
    const rows = (await t.db.query<Record<string, unknown>>('SELECT key, labels, color, sort_order FROM offer_categories ORDER BY sort_order')).rows;
    expect(rows).toEqual(CATEGORY_LIST.map((c) => ({ key: c.key, sort_order: c.sort_order, labels: c.labels, color: c.color })));
  });

  it('has the same subcategories: keys, categories, labels and order', async () => {
    const rows = (await t.db.query<Record<string, unknown>>(`
      SELECT s.key, s.category_key, s.labels, s.sort_order FROM offer_subcategories s
        JOIN offer_categories c ON c.key = s.category_key ORDER BY c.sort_order, s.sort_order`)).rows;
    expect(rows).toEqual(SUBCATEGORY_LIST.map((s) => ({ key: s.key, category_key: s.category, labels: s.labels, sort_order: s.sort_order })));
  });

  it('stores labels keyed by language, with German required', async () => {
    const insert = "INSERT INTO offer_subcategories (key, category_key, labels, sort_order) VALUES ('probe', 'sprache', $1, 99)";
    await expect(t.db.query(insert, [JSON.stringify({ en: 'Probe' })])).rejects.toThrow(/labels_check/);
  });

  it('is what /api/meta lists, in the registry order, with labels and the label_de/label_en it always sent', async () => {
    const listed = await listCategories(t.db);
    expect(listed.map((c) => ({ key: c.key, labels: c.labels, label_de: c.label_de, label_en: c.label_en })))
      .toEqual(CATEGORY_LIST.map((c) => ({ key: c.key, labels: c.labels, label_de: c.labels.de, label_en: c.labels.en })));
    expect(listed.flatMap((c) => c.subcategories.map((s) => ({ key: s.key, category: c.key, labels: s.labels, label_de: s.label_de, label_en: s.label_en }))))
      .toEqual(SUBCATEGORY_LIST.map((s) => ({ key: s.key, category: s.category, labels: s.labels, label_de: s.labels.de, label_en: s.labels.en })));
  });
});
