-- Revision ID: 3c0000000003
-- Revises: 2b0000000002
-- Create Date: 2026-01-07 09:00:00
-- Branch Labels: records
-- Message: start the records branch

-- +upgrade
CREATE TABLE records_metadata (id INTEGER PRIMARY KEY, json TEXT);

-- +downgrade
DROP TABLE records_metadata;
