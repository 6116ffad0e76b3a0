-- Revision ID: 9fe9344404e7
-- Revises: 6c3caba333ee
-- Create Date: 2024-02-19 10:51:38
-- Message: create items for received orders

-- +upgrade
INSERT INTO items (id, pid, document_id, library_id, barcode, created, item_type_id)
SELECT 1000 + o.id, 'acq' || o.id, o.document_id, o.library_id, 'ACQ-' || o.id, o.ordered_on, 1
FROM acq_orders o
WHERE o.status = 'received';

-- +downgrade
DELETE FROM items WHERE pid LIKE 'acq%';
