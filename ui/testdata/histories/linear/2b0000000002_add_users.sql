-- Revision ID: 2b0000000002
-- Revises: 1a0000000001
-- Create Date: 2026-01-06 09:00:00
-- Message: add users

-- +upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(80) NOT NULL);

-- +downgrade
DROP TABLE users;
