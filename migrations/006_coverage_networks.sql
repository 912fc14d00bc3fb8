-- Regional coverage, partner reports with an inbox, and provider networks.

-- Coverage asks "which offer is nearest to this Gemeinde?" for every Gemeinde. The nearest in
-- metres is the nearest on the sphere, not in degrees: at 54° N a degree of longitude is only
-- 0.59 of a degree of latitude, so KNN on the geometry column would often pick the wrong offer.
-- A GiST index on the geography cast makes `geom::geography <-> point::geography` an index-ordered
-- nearest-neighbour search with sphere distances (PostGIS >= 2.2).
CREATE INDEX offers_geog_idx ON offers USING gist ((geom::geography));

-- Needs reported by partner accounts: who reported (the organisation stays in reported_by), and
-- whom the coordinators' inbox has assigned the need to.
ALTER TABLE needs
  ADD COLUMN reported_by_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN assigned_to         bigint REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX needs_reported_by_user_idx ON needs (reported_by_user_id) WHERE reported_by_user_id IS NOT NULL;
CREATE INDEX needs_assigned_to_idx ON needs (assigned_to) WHERE assigned_to IS NOT NULL;

-- The history of a need in the inbox: status changes, assignments and comments, never edited.
-- from_value/to_value hold a status or a user id (as text), depending on kind.
CREATE TABLE need_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  need_id    bigint NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
  kind       text NOT NULL CHECK (kind IN ('status_change', 'assign', 'comment')),
  from_value text,
  to_value   text,
  text       text CHECK (length(text) <= 4000),
  CHECK (kind <> 'comment' OR length(text) >= 1),
  CHECK (kind <> 'status_change' OR to_value IN ('neu', 'in_bearbeitung', 'erledigt'))
);
CREATE INDEX need_events_need_idx ON need_events (need_id, at, id);

CREATE FUNCTION need_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'need events are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER need_events_append_only BEFORE UPDATE ON need_events
  FOR EACH ROW EXECUTE FUNCTION need_events_append_only();

-- Networks of providers (for example "Netzwerk Sprache Nord") with a contact person. A network
-- belongs to a region, so a coordinator edits only the networks of their own districts.
CREATE TABLE networks (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  category_key  text REFERENCES offer_categories (key),
  region_id     bigint NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
  description   text CHECK (length(description) <= 4000),
  contact_name  text CHECK (length(contact_name) <= 200),
  contact_email text CHECK (length(contact_email) <= 200),
  contact_phone text CHECK (length(contact_phone) <= 50),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX networks_region_idx ON networks (region_id);

CREATE TABLE network_members (
  network_id  bigint NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  provider_id bigint NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  role        text CHECK (length(role) <= 200),
  PRIMARY KEY (network_id, provider_id)
);
CREATE INDEX network_members_provider_idx ON network_members (provider_id);

INSERT INTO layer_revisions (layer) VALUES ('networks');
CREATE TRIGGER networks_revision AFTER INSERT OR UPDATE OR DELETE ON networks
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('networks');
CREATE TRIGGER network_members_revision AFTER INSERT OR UPDATE OR DELETE ON network_members
  FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('networks');
