-- When a region came into the database. A unit that never filed a capacity report has unknown
-- capacities since then; the planning panel says so (docs/allocation.md, "Unknown capacities").
-- Existing rows get the earliest known trace: their data source's import or their last change.
ALTER TABLE regions ADD COLUMN created_at timestamptz;

UPDATE regions r
   SET created_at = least(r.updated_at, (SELECT s.imported_at FROM data_sources s WHERE s.key = r.source_key));

ALTER TABLE regions ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE regions ALTER COLUMN created_at SET NOT NULL;
