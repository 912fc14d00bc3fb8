import type { Queryable } from '../db/index.ts';

// Subcategories nested as JSON in SQL: one round trip, no mapping code.
const LIST = `
  SELECT c.key, c.label_de, c.label_en, c.color,
         coalesce(json_agg(json_build_object('key', s.key, 'label_de', s.label_de, 'label_en', s.label_en)
                           ORDER BY s.sort_order) FILTER (WHERE s.key IS NOT NULL), '[]') AS subcategories
    FROM offer_categories c LEFT JOIN offer_subcategories s ON s.category_key = c.key
   GROUP BY c.key ORDER BY min(c.sort_order)`;

export interface Category {
  key: string;
  label_de: string;
  label_en: string;
  color: string;
  subcategories: { key: string; label_de: string; label_en: string }[];
}

export async function listCategories(db: Queryable): Promise<Category[]> {
  return (await db.query<Category>(LIST)).rows;
}
