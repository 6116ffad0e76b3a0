-- Revision ID: 6f0000000006
-- Revises: 2b0000000002
-- Create Date: 2026-01-09 09:00:00
-- Branch Labels: files
-- Message: files tables

-- +upgrade
CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT);

-- +downgrade
DROP TABLE files;
