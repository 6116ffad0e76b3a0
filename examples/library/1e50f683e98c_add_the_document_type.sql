-- Revision ID: 1e50f683e98c
-- Revises: f0432a2ef6c7
-- Create Date: 2023-11-27 13:18:09
-- Message: add the document type

-- +upgrade
ALTER TABLE documents ADD COLUMN document_type VARCHAR(16) NOT NULL DEFAULT 'book'
    CHECK (document_type IN ('book', 'serial', 'article', 'ebook'));

UPDATE documents SET document_type = 'serial'
WHERE title LIKE '%Journal%' OR title LIKE '%Review%' OR title LIKE 'Revue %';

-- +downgrade
ALTER TABLE documents DROP COLUMN document_type;
