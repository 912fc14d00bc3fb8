-- The audit log is append-only. Entries are never updated; they are deleted only by the
-- documented retention routine (scripts/retention.ts), which announces itself with a
-- transaction-local setting. The API has no route that writes to this table except appends.
CREATE FUNCTION audit_log_protect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('ilk.retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER audit_log_protect BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_protect();
