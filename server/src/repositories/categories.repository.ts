import type { Labels } from '@ilk/core';
import type { Queryable } from '../db/index.ts';

// Subcategories nested as JSON in SQL: one round trip, no mapping code. Labels are stored keyed
// by language (migrations/015_category_labels.sql); label_de and label_en are sent beside them
// for clients that read those.
const LIST = `
  SELECT c.key, c.labels ->> 'de' AS label_de, c.labels ->> 'en' AS label_en, c.labels, c.color,
         coalesce(json_agg(json_build_object('key', s.key, 'label_de', s.labels ->> 'de', 'label_en', s.labels ->> 'en', 'labels', s.labels)
                           ORDER BY s.sort_order) FILTER (WHERE s.key IS NOT NULL), '[]') AS subcategories
    FROM offer_categories c LEFT JOIN offer_subcategories s ON s.category_key = c.key
   GROUP BY c.key ORDER BY min(c.sort_order)`;

export interface Subcategory {
  key: string;
  label_de: string;
  label_en: string;
  labels: Labels;
}

export interface Category extends Subcategory {
  color: string;
  subcategories: Subcategory[];
}

export async function listCategories(db: Queryable): Promise<Category[]> {
  return (await db.query<Category>(LIST)).rows;
}
