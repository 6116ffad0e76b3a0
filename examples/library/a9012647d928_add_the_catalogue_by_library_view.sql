-- Revision ID: a9012647d928
-- Revises: eeb4d7e34f58
-- Create Date: 2024-01-08 16:40:12
-- Message: add the catalogue_by_library view

-- +upgrade
CREATE VIEW catalogue_by_library AS
SELECT l.code AS library_code, d.pid AS document_pid, d.title, COUNT(i.id) AS items
FROM items i
JOIN documents d ON d.id = i.document_id
JOIN libraries l ON l.id = i.library_id
GROUP BY l.code, d.pid, d.title;

-- +downgrade
DROP VIEW catalogue_by_library;
