-- Revision ID: 7563ba6d7561
-- Revises: 9126f322cb13
-- Create Date: 2023-10-02 11:05:19
-- Branch Labels: catalog
-- Message: move items out of records_metadata

-- +upgrade
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    barcode VARCHAR(32) NOT NULL UNIQUE,
    item_type VARCHAR(16) NOT NULL DEFAULT 'standard',
    created DATE NOT NULL
);

INSERT INTO items (id, pid, document_id, library_id, barcode, item_type, created)
SELECT r.id, r.pid, d.id, l.id, r.code, r.info, r.created
FROM records_metadata r
JOIN documents d ON d.pid = r.parent_pid
JOIN libraries l ON l.code = r.library_code
WHERE r.record_type = 'item';

DELETE FROM records_metadata WHERE record_type = 'item';

-- +downgrade
INSERT INTO records_metadata (id, pid, record_type, code, info, library_code, parent_pid, created)
SELECT i.id, i.pid, 'item', i.barcode, i.item_type, l.code, d.pid, i.created
FROM items i
JOIN documents d ON d.id = i.document_id
JOIN libraries l ON l.id = i.library_id;

DROP TABLE items;
