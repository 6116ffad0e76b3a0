-- Revision ID: cd8bf595a0eb
-- Revises: e4c229aa293c
-- Create Date: 2024-01-29 15:44:21
-- Message: add the loan_overview view

-- +upgrade
CREATE VIEW loan_overview AS
SELECT lo.pid AS loan_pid, lo.state, lo.due_date, d.title, i.barcode,
       p.name AS patron_name, lib.code AS library_code
FROM loans lo
JOIN items i ON i.id = lo.item_id
JOIN documents d ON d.id = i.document_id
JOIN patrons p ON p.id = lo.patron_id
JOIN libraries lib ON lib.id = lo.library_id;

-- +downgrade
DROP VIEW loan_overview;
