-- Every change of who may do what announces the user it concerns on the channel 'ilk_access'
-- (payload: the user's id), when its transaction commits. App processes on PostgreSQL listen
-- there and drop that user's cached sessions and tokens (server/src/services/access-listener.ts),
-- so a logout, revocation, deactivation, password reset or change of role or districts reaches
-- every replica, and so do changes made outside the app (the CLI, retention, demo removal, SQL).
-- Inserts of sessions and tokens need no notice: a new one is never in a cache. Updates of
-- last_seen_at and last_used_at (every request's bookkeeping) are not announced.
CREATE FUNCTION notify_access_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV[0] names the column that holds the user's id in the table the trigger is on.
  old_user text := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) ->> TG_ARGV[0] END;
  new_user text := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) ->> TG_ARGV[0] END;
BEGIN
  -- PostgreSQL sends one notice per distinct payload and transaction, however many rows changed.
  IF old_user IS NOT NULL THEN PERFORM pg_notify('ilk_access', old_user); END IF;
  IF new_user IS NOT NULL AND new_user IS DISTINCT FROM old_user THEN PERFORM pg_notify('ilk_access', new_user); END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER users_access_changed AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION notify_access_change('id');
CREATE TRIGGER user_districts_access_changed AFTER INSERT OR UPDATE OR DELETE ON user_districts
  FOR EACH ROW EXECUTE FUNCTION notify_access_change('user_id');
CREATE TRIGGER sessions_access_changed AFTER DELETE OR UPDATE OF user_id, csrf_token, expires_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION notify_access_change('user_id');
CREATE TRIGGER api_tokens_access_changed AFTER DELETE OR UPDATE OF user_id, token_hash, revoked_at ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION notify_access_change('user_id');
