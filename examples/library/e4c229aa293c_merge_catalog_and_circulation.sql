-- Revision ID: e4c229aa293c
-- Revises: a9012647d928, bb59f895577c
-- Create Date: 2024-01-22 10:00:03
-- Message: merge catalog and circulation

-- +upgrade
-- Nothing to reconcile: the two branches changed different tables.

-- +downgrade
-- Nothing to undo.
