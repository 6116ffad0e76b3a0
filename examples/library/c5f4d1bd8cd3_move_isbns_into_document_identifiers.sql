-- Revision ID: c5f4d1bd8cd3
-- Revises: 086c81ed55b1
-- Create Date: 2023-10-23 15:30:02
-- Message: move ISBNs into document_identifiers

-- +upgrade
CREATE TABLE document_identifiers (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    id_type VARCHAR(8) NOT NULL CHECK (id_type IN ('isbn', 'issn', 'doi', 'ark')),
    value VARCHAR(64) NOT NULL,
    PRIMARY KEY (document_id, id_type, value)
);

INSERT INTO document_identifiers (document_id, id_type, value)
SELECT id, 'isbn', isbn FROM documents WHERE isbn IS NOT NULL;

ALTER TABLE documents DROP COLUMN isbn;

-- +downgrade
ALTER TABLE documents ADD COLUMN isbn VARCHAR(20);

UPDATE documents SET isbn = (
    SELECT di.value FROM document_identifiers di
    WHERE di.document_id = documents.id AND di.id_type = 'isbn'
);

DROP TABLE document_identifiers;
