-- Revision ID: f0432a2ef6c7
-- Revises: 1729d66b10f2
-- Create Date: 2023-11-14 08:55:31
-- Message: index document titles for the search page
-- Transaction: none

-- +upgrade
-- Built outside a transaction so that, on PostgreSQL, this statement can
-- become CREATE INDEX CONCURRENTLY on a busy catalogue (SQLite has no
-- CONCURRENTLY, and this example runs on both).
CREATE INDEX ix_documents_title ON documents (title);

-- +downgrade
DROP INDEX ix_documents_title;
