-- A decision records its written justification (required for every new decision: the service
-- refuses one without it). Plans decided before this migration have none, so the column stays
-- nullable; a CHECK that demanded it for decided plans would also refuse the ON DELETE SET NULL
-- updates of old decided plans when an account is removed (migration 008).
ALTER TABLE allocation_plans
  ADD COLUMN justification text CHECK (justification IS NULL OR char_length(justification) BETWEEN 10 AND 4000);
