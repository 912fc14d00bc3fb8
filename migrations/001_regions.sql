-- Regions: Land > Kreis > Verband (Amt or amtsfreie Gemeinde, the allocation unit in
-- Schleswig-Holstein) > Gemeinde. The ARS is not unique across levels (a kreisfreie Stadt has
-- the same ARS as Kreis, Verband and Gemeinde), so the natural key is (level, ars).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE data_sources (
  key          text PRIMARY KEY,
  name         text NOT NULL,
  attribution  text NOT NULL,
  licence      text NOT NULL,
  licence_url  text,
  reference_date date,
  imported_at  timestamptz NOT NULL DEFAULT now()
);

-- Facts about the loaded dataset (for example that it is the fictional demo district).
CREATE TABLE app_meta (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE regions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  level           text NOT NULL CHECK (level IN ('land', 'kreis', 'verband', 'gemeinde')),
  ars             text NOT NULL CHECK (ars ~ '^[0-9]{12}$'),
  ags             text CHECK (ags ~ '^[0-9]{2}([0-9]{3}([0-9]{3})?)?$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind            text NOT NULL,
  parent_id       bigint REFERENCES regions (id) ON DELETE RESTRICT,
  -- For a Gemeinde the register value; for higher levels the sum of the Gemeinden,
  -- kept by refresh_region_aggregates() inside the transaction that changes them.
  population      integer CHECK (population >= 0),
  population_date date,
  area_km2        double precision CHECK (area_km2 >= 0),
  source_key      text REFERENCES data_sources (key),
  geom            geometry(MultiPolygon, 4326) NOT NULL,
  -- A point guaranteed inside the polygon: labels, and where offers given only by AGS are placed.
  label_point     geometry(Point, 4326) NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (level, ars)
);
CREATE INDEX regions_geom_idx ON regions USING gist (geom);
CREATE INDEX regions_parent_idx ON regions (parent_id);
CREATE INDEX regions_level_idx ON regions (level);

-- Sums population and area upwards from the Gemeinden; called by every import and seed.
CREATE FUNCTION refresh_region_aggregates() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE regions v SET population = s.population, population_date = s.population_date
    FROM (SELECT parent_id, sum(population)::integer AS population, max(population_date) AS population_date
            FROM regions WHERE level = 'gemeinde' GROUP BY parent_id) s
   WHERE v.id = s.parent_id AND v.level = 'verband';
  UPDATE regions k SET population = s.population, population_date = s.population_date
    FROM (SELECT parent_id, sum(population)::integer AS population, max(population_date) AS population_date
            FROM regions WHERE level = 'verband' GROUP BY parent_id) s
   WHERE k.id = s.parent_id AND k.level = 'kreis';
  UPDATE regions l SET population = s.population, population_date = s.population_date
    FROM (SELECT parent_id, sum(population)::integer AS population, max(population_date) AS population_date
            FROM regions WHERE level = 'kreis' GROUP BY parent_id) s
   WHERE l.id = s.parent_id AND l.level = 'land';
END $$;
