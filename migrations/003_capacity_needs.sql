-- Capacity reports per allocation unit (Verband). Kept as history: a new report is a new row,
-- and rows are never updated (the trigger enforces it), so every earlier state can be shown.
CREATE TABLE capacity_reports (
  id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id                   bigint NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
  report_date                 date NOT NULL,
  housing_free                integer NOT NULL CHECK (housing_free >= 0),
  housing_free_barrier_free   integer NOT NULL CHECK (housing_free_barrier_free >= 0),
  shared_accommodation_places integer NOT NULL CHECK (shared_accommodation_places >= 0),
  kita_free                   integer NOT NULL CHECK (kita_free >= 0),
  school_free                 integer NOT NULL CHECK (school_free >= 0),
  language_course_free        integer NOT NULL CHECK (language_course_free >= 0),
  gp_accepting                integer NOT NULL CHECK (gp_accepting >= 0),
  refugees_housed             integer NOT NULL CHECK (refugees_housed >= 0),
  intake_ytd                  integer NOT NULL CHECK (intake_ytd >= 0),
  note                        text,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  CHECK (housing_free_barrier_free <= housing_free)
);
CREATE INDEX capacity_reports_region_idx ON capacity_reports (region_id, report_date DESC, id DESC);

CREATE FUNCTION capacity_reports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'capacity reports are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER capacity_reports_append_only BEFORE UPDATE ON capacity_reports
  FOR EACH ROW EXECUTE FUNCTION capacity_reports_append_only();

-- Needs (Bedarfe): gaps in offers, and needs for information or training reported to the office.
CREATE TABLE needs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id  text UNIQUE,
  region_id    bigint NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
  category_key text REFERENCES offer_categories (key),
  kind         text NOT NULL CHECK (kind IN ('angebotsluecke', 'information', 'fortbildung')),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description  text,
  priority     text NOT NULL DEFAULT 'mittel' CHECK (priority IN ('niedrig', 'mittel', 'hoch')),
  status       text NOT NULL DEFAULT 'neu' CHECK (status IN ('neu', 'in_bearbeitung', 'erledigt')),
  reported_by  text,
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX needs_region_idx ON needs (region_id);
CREATE INDEX needs_status_idx ON needs (status);
