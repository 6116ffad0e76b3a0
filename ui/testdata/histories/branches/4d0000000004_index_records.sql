-- Revision ID: 4d0000000004
-- Revises: 3c0000000003
-- Create Date: 2026-01-08 09:00:00
-- Message: index records

-- +upgrade
CREATE INDEX records_idx ON records_metadata (json);

-- +downgrade
DROP INDEX records_idx;
