-- Revision ID: 9126f322cb13
-- Revises: ebbc5deec8c9
-- Create Date: 2023-09-19 16:22:58
-- Message: move documents out of records_metadata

-- +upgrade
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    isbn VARCHAR(20),
    language VARCHAR(3) NOT NULL,
    collection_pid VARCHAR(32),
    created DATE NOT NULL
);

INSERT INTO documents (id, pid, title, isbn, language, collection_pid, created)
SELECT id, pid, title, info, code, parent_pid, created
FROM records_metadata
WHERE record_type = 'document';

DELETE FROM records_metadata WHERE record_type = 'document';

-- +downgrade
INSERT INTO records_metadata (id, pid, record_type, title, code, info, parent_pid, created)
SELECT id, pid, 'document', title, language, isbn, collection_pid, created
FROM documents;

DROP TABLE documents;
