-- Revision ID: c20000000002
-- Revises: c10000000001
-- Create Date: 2026-02-02 09:00:00
-- Message: core users

-- +upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE users;
