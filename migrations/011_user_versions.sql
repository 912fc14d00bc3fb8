-- Accounts are edited in the app by admins: a version per user makes an edit conditional on
-- the state the admin read (If-Match), so two admins cannot overwrite each other's change.
ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1;
