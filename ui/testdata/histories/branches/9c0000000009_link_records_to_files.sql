-- Revision ID: 9c0000000009
-- Revises: 8b0000000008
-- Create Date: 2026-01-12 09:00:00
-- Message: link records to files

-- +upgrade
CREATE TABLE record_files (record_id INTEGER, file_id INTEGER);

-- +downgrade
DROP TABLE record_files;
