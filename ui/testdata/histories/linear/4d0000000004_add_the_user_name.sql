-- Revision ID: 4d0000000004
-- Revises: 3c0000000003
-- Create Date: 2026-01-08 09:00:00
-- Message: add the user name

-- +upgrade
ALTER TABLE users ADD COLUMN name VARCHAR(40);

-- +downgrade
ALTER TABLE users DROP COLUMN name;
