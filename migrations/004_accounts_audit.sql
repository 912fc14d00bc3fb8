-- Accounts, sessions, API tokens and the audit log. Sessions and tokens live in the database,
-- not in process memory, so several app instances can serve the same users.
CREATE TABLE users (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 200),
  display_name        text,
  role                text NOT NULL CHECK (role IN ('admin', 'coordinator', 'ministry', 'analyst', 'partner')),
  -- argon2id PHC string; never the password.
  password_hash       text NOT NULL,
  active              boolean NOT NULL DEFAULT true,
  -- An organisation a partner account reports for (Amt, counselling service, provider).
  organisation        text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (email)
);

-- The Kreise a coordinator may edit.
CREATE TABLE user_districts (
  user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  region_id bigint NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, region_id)
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie value: a leaked table does not hand out sessions.
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   text NOT NULL UNIQUE,
  -- The first characters, shown in lists so a user can tell tokens apart.
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Failed logins per e-mail address, for throttling that holds across app instances.
CREATE TABLE login_failures (
  email     text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_idx ON login_failures (email, failed_at);

-- Every write: who, when, what, before and after. The API offers no way to change it.
CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
  actor      text NOT NULL,
  action     text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import', 'login', 'logout', 'token_create', 'token_revoke', 'decide')),
  entity     text NOT NULL,
  entity_id  text,
  before     jsonb,
  after      jsonb,
  request_id text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- One counter per layer, bumped by every write: a layer's ETag is its revision plus the
-- query, so a conditional GET is answered without building the layer.
CREATE TABLE layer_revisions (
  layer    text PRIMARY KEY,
  revision bigint NOT NULL DEFAULT 0
);
INSERT INTO layer_revisions (layer) VALUES ('regions'), ('offers'), ('needs'), ('capacity'), ('providers');

CREATE FUNCTION bump_layer_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE layer_revisions SET revision = revision + 1 WHERE layer = TG_ARGV[0];
  RETURN NULL;
END $$;
CREATE TRIGGER regions_revision AFTER INSERT OR UPDATE OR DELETE ON regions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('regions');
CREATE TRIGGER offers_revision AFTER INSERT OR UPDATE OR DELETE ON offers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('offers');
CREATE TRIGGER needs_revision AFTER INSERT OR UPDATE OR DELETE ON needs
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('needs');
CREATE TRIGGER capacity_revision AFTER INSERT OR UPDATE OR DELETE ON capacity_reports
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('capacity');
CREATE TRIGGER providers_revision AFTER INSERT OR UPDATE OR DELETE ON providers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('providers');
