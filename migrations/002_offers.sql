-- Offer categories and subcategories carry their own labels (German first) and colours, so the
-- client needs no copy of them. Colours are from the Okabe-Ito palette (colour-blind safe).
CREATE TABLE offer_categories (
  key        text PRIMARY KEY CHECK (key ~ '^[a-z_]{2,40}$'),
  label_de   text NOT NULL,
  label_en   text NOT NULL,
  color      text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$'),
  sort_order integer NOT NULL
);

CREATE TABLE offer_subcategories (
  key          text PRIMARY KEY CHECK (key ~ '^[a-z_]{2,40}$'),
  category_key text NOT NULL REFERENCES offer_categories (key),
  label_de     text NOT NULL,
  label_en     text NOT NULL,
  sort_order   integer NOT NULL
);

INSERT INTO offer_categories (key, label_de, label_en, color, sort_order) VALUES
  ('sprache',           'Sprache',                   'Language',                  '#0072b2', 1),
  ('arbeit',            'Arbeit und Ausbildung',     'Work and training',         '#e69f00', 2),
  ('wohnen',            'Wohnen',                    'Housing',                   '#8c564b', 3),
  ('betreuung_bildung', 'Betreuung und Bildung',     'Childcare and school',      '#009e73', 4),
  ('gesundheit',        'Gesundheit',                'Health',                    '#d55e00', 5),
  ('beratung',          'Beratung',                  'Counselling',               '#cc79a7', 6),
  ('einbuergerung',     'Einbürgerung',              'Naturalisation',            '#56b4e9', 7),
  ('ehrenamt_freizeit', 'Ehrenamt und Freizeit',     'Volunteering and leisure',  '#7f7f7f', 8);

INSERT INTO offer_subcategories (key, category_key, label_de, label_en, sort_order) VALUES
  ('integrationskurs',       'sprache',           'Integrationskurs',                     'Integration course',                  1),
  ('berufssprachkurs',       'sprache',           'Berufssprachkurs',                     'Job-related language course',         2),
  ('erstorientierung',       'sprache',           'Erstorientierung und Sprachcafé',      'First orientation and language café', 3),
  ('arbeitsvermittlung',     'arbeit',            'Arbeitsvermittlung',                   'Job placement',                       1),
  ('ausbildung',             'arbeit',            'Ausbildung und Qualifizierung',        'Training and qualification',          2),
  ('anerkennung',            'arbeit',            'Anerkennungsberatung',                 'Recognition of qualifications',       3),
  ('unterkunft',             'wohnen',            'Gemeinschaftsunterkunft',              'Shared accommodation',                1),
  ('wohnraumvermittlung',    'wohnen',            'Wohnraumvermittlung',                  'Housing placement',                   2),
  ('kita',                   'betreuung_bildung', 'Kita',                                 'Day care (Kita)',                     1),
  ('schule',                 'betreuung_bildung', 'Schule',                               'School',                              2),
  ('daz',                    'betreuung_bildung', 'DaZ-Zentrum',                          'German as a second language centre',  3),
  ('hausarzt',               'gesundheit',        'Hausarztpraxis',                       'General practice',                    1),
  ('kinderarzt',             'gesundheit',        'Kinderarztpraxis',                     'Paediatric practice',                 2),
  ('psychosozial',           'gesundheit',        'Psychosoziale Versorgung',             'Psychosocial care',                   3),
  ('mbe',                    'beratung',          'Migrationsberatung für Erwachsene',    'Migration counselling for adults',    1),
  ('jmd',                    'beratung',          'Jugendmigrationsdienst',               'Youth migration service',             2),
  ('fluechtlingsberatung',   'beratung',          'Flüchtlingsberatung',                  'Refugee counselling',                 3),
  ('einbuergerungsberatung', 'einbuergerung',     'Einbürgerungsberatung',                'Naturalisation advice',               1),
  ('ehrenamt',               'ehrenamt_freizeit', 'Ehrenamtliche Begleitung',             'Volunteer mentoring',                 1),
  ('sport',                  'ehrenamt_freizeit', 'Sport',                                'Sport',                               2),
  ('begegnung',              'ehrenamt_freizeit', 'Begegnung und Kultur',                 'Meeting places and culture',          3);

-- Providers (Träger).
CREATE TABLE providers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text,
  street      text,
  postcode    text CHECK (postcode ~ '^[0-9]{5}$'),
  city        text,
  email       text,
  phone       text,
  website     text,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offers (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- A stable id from the source system: re-importing the same offer updates it.
  external_id     text UNIQUE,
  category_key    text NOT NULL REFERENCES offer_categories (key),
  subcategory_key text REFERENCES offer_subcategories (key),
  provider_id     bigint REFERENCES providers (id) ON DELETE SET NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description     text,
  street          text,
  postcode        text CHECK (postcode ~ '^[0-9]{5}$'),
  city            text,
  email           text,
  phone           text,
  website         text,
  languages       text[] NOT NULL DEFAULT '{}',
  places_total    integer CHECK (places_total >= 0),
  places_free     integer CHECK (places_free >= 0),
  barrier_free    boolean,
  target_groups   text[] NOT NULL DEFAULT '{}',
  opening_hours   text,
  valid_from      date,
  valid_to        date,
  last_verified   date,
  -- The Gemeinde the point lies in, derived spatially by offers_set_region().
  region_id       bigint REFERENCES regions (id) ON DELETE SET NULL,
  geom            geometry(Point, 4326) NOT NULL,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (places_free IS NULL OR places_total IS NULL OR places_free <= places_total),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
);
CREATE INDEX offers_geom_idx ON offers USING gist (geom);
CREATE INDEX offers_category_idx ON offers (category_key);
CREATE INDEX offers_region_idx ON offers (region_id);

CREATE FUNCTION offers_set_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- ORDER BY ars makes a point on a shared border land in the same Gemeinde every time.
  NEW.region_id := (SELECT r.id FROM regions r
                     WHERE r.level = 'gemeinde' AND ST_Intersects(r.geom, NEW.geom)
                     ORDER BY r.ars LIMIT 1);
  RETURN NEW;
END $$;
CREATE TRIGGER offers_set_region BEFORE INSERT OR UPDATE OF geom ON offers
  FOR EACH ROW EXECUTE FUNCTION offers_set_region();
