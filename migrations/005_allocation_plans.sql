-- Allocation plans: a saved suggestion (aggregate numbers or household placements) for one
-- Kreis, with everything needed to reproduce it: the request (weights, bounds, profiles), the
-- unit inputs as loaded, the engine's result and the solver report. A plan is a draft until
-- someone decides it; a decided plan is never changed again (the trigger enforces it).
CREATE TABLE allocation_plans (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kreis_id    bigint NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  mode        text NOT NULL CHECK (mode IN ('aggregate', 'households')),
  -- The year whose intake the legal key credits, and that a decision records intake for.
  period      integer NOT NULL CHECK (period BETWEEN 2000 AND 2100),
  inputs      jsonb NOT NULL,
  result      jsonb NOT NULL,
  solver      jsonb,
  data_as_of  timestamptz,
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'decided')),
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  decided_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  decided_at  timestamptz,
  version     integer NOT NULL DEFAULT 1,
  CHECK ((status = 'decided') = (decided_at IS NOT NULL))
);
CREATE INDEX allocation_plans_kreis_idx ON allocation_plans (kreis_id, status, created_at DESC);

-- The decided intake per unit and year. The next legal-key calculation for that year credits it
-- as prior intake (until a capacity report dated on or after the decision includes it).
CREATE TABLE allocation_intakes (
  plan_id    bigint NOT NULL REFERENCES allocation_plans (id) ON DELETE RESTRICT,
  unit_id    bigint NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
  persons    integer NOT NULL CHECK (persons > 0),
  period     integer NOT NULL CHECK (period BETWEEN 2000 AND 2100),
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX allocation_intakes_unit_idx ON allocation_intakes (unit_id, period);

-- A decision is final: its plan may not be edited or deleted, only read.
CREATE FUNCTION allocation_plans_decided_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'decided' THEN
    RAISE EXCEPTION 'allocation plan % is decided and cannot be changed', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER allocation_plans_decided_final BEFORE UPDATE OR DELETE ON allocation_plans
  FOR EACH ROW EXECUTE FUNCTION allocation_plans_decided_final();
