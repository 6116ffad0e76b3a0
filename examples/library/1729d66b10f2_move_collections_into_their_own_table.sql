-- Revision ID: 1729d66b10f2
-- Revises: c5f4d1bd8cd3
-- Create Date: 2023-11-06 10:12:44
-- Message: move collections into their own table

-- +upgrade
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    collection_type VARCHAR(16) NOT NULL CHECK (collection_type IN ('course', 'exhibition')),
    created DATE NOT NULL
);

INSERT INTO collections (id, pid, title, library_id, collection_type, created)
SELECT r.id, r.pid, r.title, l.id, r.info, r.created
FROM records_metadata r
JOIN libraries l ON l.code = r.library_code
WHERE r.record_type = 'collection';

-- A document may now belong to several collections.
CREATE TABLE collection_documents (
    collection_id INTEGER NOT NULL REFERENCES collections (id),
    document_id INTEGER NOT NULL REFERENCES documents (id),
    PRIMARY KEY (collection_id, document_id)
);

INSERT INTO collection_documents (collection_id, document_id)
SELECT c.id, d.id
FROM documents d
JOIN collections c ON c.pid = d.collection_pid;

ALTER TABLE documents DROP COLUMN collection_pid;

DELETE FROM records_metadata WHERE record_type = 'collection';

-- +downgrade
-- Each document belonged to at most one collection before this revision,
-- so the link table folds back into one column.
ALTER TABLE documents ADD COLUMN collection_pid VARCHAR(32);

UPDATE documents SET collection_pid = (
    SELECT c.pid FROM collection_documents cd
    JOIN collections c ON c.id = cd.collection_id
    WHERE cd.document_id = documents.id
);

INSERT INTO records_metadata (id, pid, record_type, title, info, library_code, created)
SELECT c.id, c.pid, 'collection', c.title, c.collection_type, l.code, c.created
FROM collections c
JOIN libraries l ON l.id = c.library_id;

DROP TABLE collection_documents;
DROP TABLE collections;
