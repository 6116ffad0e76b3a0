-- Transaction: none is set in the header for this revision
CREATE INDEX CONCURRENTLY IF NOT EXISTS records_title_idx ON records (lower(title));
CREATE UNIQUE INDEX CONCURRENTLY records_pid_idx ON records USING btree (pid) WHERE deleted_at IS NULL;
DROP INDEX CONCURRENTLY IF EXISTS records_old_idx;
