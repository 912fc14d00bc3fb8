-- Category and subcategory labels keyed by language ({"de": …, "en": …}) instead of one column
-- per language: a third interface language is data (a key in each labels object), not a schema
-- change. The rows themselves are the registry's (core/src/registries/categories.ts);
-- tests/integration/db/registries-categories.test.ts fails when table and registry disagree.
-- /api/meta still sends label_de and label_en beside labels (read from labels).
ALTER TABLE offer_categories ADD COLUMN labels jsonb;
UPDATE offer_categories SET labels = jsonb_build_object('de', label_de, 'en', label_en);
ALTER TABLE offer_categories
  ALTER COLUMN labels SET NOT NULL,
  ADD CONSTRAINT offer_categories_labels_check CHECK (jsonb_typeof(labels) = 'object' AND labels ? 'de' AND jsonb_typeof(labels -> 'de') = 'string'),
  DROP COLUMN label_de,
  DROP COLUMN label_en;

ALTER TABLE offer_subcategories ADD COLUMN labels jsonb;
UPDATE offer_subcategories SET labels = jsonb_build_object('de', label_de, 'en', label_en);
ALTER TABLE offer_subcategories
  ALTER COLUMN labels SET NOT NULL,
  ADD CONSTRAINT offer_subcategories_labels_check CHECK (jsonb_typeof(labels) = 'object' AND labels ? 'de' AND jsonb_typeof(labels -> 'de') = 'string'),
  DROP COLUMN label_de,
  DROP COLUMN label_en;
