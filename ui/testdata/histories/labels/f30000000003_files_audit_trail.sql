-- Revision ID: f30000000003
-- Revises: f20000000002
-- Create Date: 2026-02-06 09:00:00
-- Depends On: core
-- Message: files audit trail

-- +upgrade
CREATE TABLE file_audit (file_id INTEGER, at TEXT);

-- +downgrade
DROP TABLE file_audit;
