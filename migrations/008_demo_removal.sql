-- Removing the fictional demo district (npm run demo:remove, or import:official --remove-demo)
-- deletes its accounts and its plans. Two protections stood in the way; each now admits exactly
-- that and nothing more.
--
-- 1. Deleting a user clears user_id in the rows that name it (ON DELETE SET NULL), which is an
--    UPDATE. The append-only tables (audit_log, need_events) now admit an UPDATE that changes
--    nothing but clearing user_id, and only when that user no longer exists (the cascade runs
--    after the user's row is gone). The entry keeps `actor`, so it still says who it was.
-- 2. A decided allocation plan is final. The demo's own plans may be deleted only by the demo
--    removal, which announces itself with a transaction-local setting (like the retention
--    routine in 007); clearing created_by/decided_by of a deleted user is admitted as above.

CREATE FUNCTION user_reference_cleared(old_row jsonb, new_row jsonb, cols text[]) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  col text;
  changed boolean := false;
BEGIN
  IF (old_row - cols) <> (new_row - cols) THEN
    RETURN false;
  END IF;
  FOREACH col IN ARRAY cols LOOP
    IF (old_row -> col) IS DISTINCT FROM (new_row -> col) THEN
      IF new_row ->> col IS NOT NULL THEN RETURN false; END IF;
      IF EXISTS (SELECT 1 FROM users WHERE id = (old_row ->> col)::bigint) THEN RETURN false; END IF;
      changed := true;
    END IF;
  END LOOP;
  RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION audit_log_protect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('ilk.retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND user_reference_cleared(to_jsonb(OLD), to_jsonb(NEW), ARRAY['user_id']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION need_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF user_reference_cleared(to_jsonb(OLD), to_jsonb(NEW), ARRAY['user_id']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'need events are append-only' USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION allocation_plans_decided_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'decided' THEN
    IF TG_OP = 'DELETE' AND current_setting('ilk.demo_removal', true) = 'on' THEN
      RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND user_reference_cleared(to_jsonb(OLD), to_jsonb(NEW), ARRAY['created_by', 'decided_by']) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'allocation plan % is decided and cannot be changed', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
