-- Revision ID: 8b0000000008
-- Revises: 4d0000000004, 7a0000000007
-- Create Date: 2026-01-11 09:00:00
-- Message: merge records and files

-- +upgrade
-- nothing to reconcile

-- +downgrade
-- nothing to undo
