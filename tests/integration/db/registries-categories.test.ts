import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_LIST, labelsFromColumns } from '@ilk/core';
import { listCategories } from '../../../server/src/repositories/categories.repository.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

// The category registry in core is the source of truth; the offer_categories table (seeded by
// migrations/002_offers.sql, referenced by offers and needs) must equal it row for row.
describe.each(BACKENDS)('offer_categories equals the category registry (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await openTestDatabase(kind); });
  afterAll(async () => { await t?.dispose(); });

  it('has the same keys, labels, colours and order', async () => {
    const rows = (await t.db.query<Record<string, unknown>>('SELECT key, label_de, label_en, color, sort_order FROM offer_categories ORDER BY sort_order')).rows;
    expect(rows.map((r) => ({ key: r.key, sort_order: r.sort_order, labels: labelsFromColumns(r), color: r.color })))
      .toEqual(CATEGORY_LIST.map((c) => ({ key: c.key, sort_order: c.sort_order, labels: c.labels, color: c.color })));
  });

  it('is what /api/meta lists, in the registry order', async () => {
    const listed = await listCategories(t.db);
    expect(listed.map((c) => c.key)).toEqual(CATEGORY_LIST.map((c) => c.key));
    expect(listed.map((c) => labelsFromColumns(c as unknown as Record<string, unknown>))).toEqual(CATEGORY_LIST.map((c) => c.labels));
  });
});
