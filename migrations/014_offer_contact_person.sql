-- An offer's contact person (Ansprechperson): optional text, described in core/src/fields/offer.ts.
ALTER TABLE offers ADD COLUMN contact_person text CHECK (length(contact_person) <= 200);
