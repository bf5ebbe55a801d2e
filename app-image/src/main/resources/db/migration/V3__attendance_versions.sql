-- Every change of an attendance row counts up its version: the cache amends registers and class summaries in place
-- with it, and an older row never replaces a newer one, whatever order the amendments arrive in.
ALTER TABLE attendance ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
