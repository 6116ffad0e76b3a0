-- Revision ID: 086c81ed55b1
-- Revises: 7563ba6d7561
-- Create Date: 2023-10-09 09:41:36
-- Message: move holdings out of records_metadata

-- +upgrade
CREATE TABLE holdings (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    call_number VARCHAR(64) NOT NULL,
    created DATE NOT NULL
);

INSERT INTO holdings (id, pid, document_id, library_id, call_number, created)
SELECT r.id, r.pid, d.id, l.id, r.code, r.created
FROM records_metadata r
JOIN documents d ON d.pid = r.parent_pid
JOIN libraries l ON l.code = r.library_code
WHERE r.record_type = 'holding';

DELETE FROM records_metadata WHERE record_type = 'holding';

-- +downgrade
INSERT INTO records_metadata (id, pid, record_type, code, library_code, parent_pid, created)
SELECT h.id, h.pid, 'holding', h.call_number, l.code, d.pid, h.created
FROM holdings h
JOIN documents d ON d.id = h.document_id
JOIN libraries l ON l.id = h.library_id;

DROP TABLE holdings;
