-- Revision ID: f20000000002
-- Revises: f10000000001
-- Create Date: 2026-02-04 09:00:00
-- Depends On: c20000000002
-- Message: files owned by users

-- +upgrade
ALTER TABLE files ADD COLUMN owner_id INTEGER REFERENCES users (id);

-- +downgrade
-- SQLite cannot drop a column with a foreign key, so the table is rebuilt
CREATE TABLE files_old (id INTEGER PRIMARY KEY);
INSERT INTO files_old (id) SELECT id FROM files;
DROP TABLE files;
ALTER TABLE files_old RENAME TO files;
