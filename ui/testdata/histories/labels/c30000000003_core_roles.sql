-- Revision ID: c30000000003
-- Revises: c20000000002
-- Create Date: 2026-02-05 09:00:00
-- Message: core roles

-- +upgrade
CREATE TABLE roles (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE roles;
