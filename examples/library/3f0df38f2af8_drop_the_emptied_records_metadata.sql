-- Revision ID: 3f0df38f2af8
-- Revises: cd8bf595a0eb
-- Create Date: 2024-02-05 09:30:17
-- Message: drop the emptied records_metadata

-- +upgrade
-- Every kind of record has moved to a table of its own: records_metadata
-- is empty, so the downgrade can recreate it empty.
DROP INDEX ix_records_metadata_record_type;
DROP TABLE records_metadata;

-- +downgrade
CREATE TABLE records_metadata (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    record_type VARCHAR(16) NOT NULL
        CHECK (record_type IN ('document', 'item', 'holding', 'collection', 'patron', 'loan')),
    title VARCHAR(255),
    code VARCHAR(64),
    info VARCHAR(255),
    library_code VARCHAR(16),
    parent_pid VARCHAR(32),
    ref_pid VARCHAR(32),
    created DATE NOT NULL,
    expires DATE
);

CREATE INDEX ix_records_metadata_record_type ON records_metadata (record_type);
