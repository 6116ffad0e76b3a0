-- Revision ID: 3c0000000003
-- Revises: 2b0000000002
-- Create Date: 2026-01-07 09:00:00
-- Message: seed users

-- +upgrade
INSERT INTO users (id, email) VALUES (1, 'ada@example.org');

-- +downgrade
DELETE FROM users;
