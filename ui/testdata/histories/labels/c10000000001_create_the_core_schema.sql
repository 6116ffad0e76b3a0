-- Revision ID: c10000000001
-- Revises: 
-- Create Date: 2026-02-01 09:00:00
-- Branch Labels: core
-- Message: create the core schema

-- +upgrade
CREATE TABLE core (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE core;
