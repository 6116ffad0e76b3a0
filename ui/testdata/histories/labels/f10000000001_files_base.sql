-- Revision ID: f10000000001
-- Revises: 
-- Create Date: 2026-02-03 09:00:00
-- Branch Labels: files
-- Message: files base

-- +upgrade
CREATE TABLE files (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE files;
