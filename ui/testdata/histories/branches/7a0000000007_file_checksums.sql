-- Revision ID: 7a0000000007
-- Revises: 6f0000000006
-- Create Date: 2026-01-10 09:00:00
-- Message: file checksums

-- +upgrade
ALTER TABLE files ADD COLUMN checksum TEXT;

-- +downgrade
ALTER TABLE files DROP COLUMN checksum;
