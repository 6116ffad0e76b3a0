-- Revision ID: 1a0000000001
-- Revises: 
-- Create Date: 2026-01-05 09:00:00
-- Message: create core tables

-- +upgrade
CREATE TABLE core (id INTEGER PRIMARY KEY, name VARCHAR(40));

-- +downgrade
DROP TABLE core;
