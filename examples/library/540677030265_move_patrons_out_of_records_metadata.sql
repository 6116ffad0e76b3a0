-- Revision ID: 540677030265
-- Revises: 9126f322cb13
-- Create Date: 2023-10-04 14:27:33
-- Branch Labels: circulation
-- Message: move patrons out of records_metadata

-- +upgrade
CREATE TABLE patrons (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(255) NOT NULL,
    barcode VARCHAR(32) NOT NULL UNIQUE,
    contact VARCHAR(255),
    patron_type VARCHAR(16) NOT NULL DEFAULT 'adult',
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    created DATE NOT NULL,
    expiry_date DATE
);

INSERT INTO patrons (id, pid, name, barcode, contact, patron_type, library_id, created, expiry_date)
SELECT r.id, r.pid, r.title, r.code, r.info, r.ref_pid, l.id, r.created, r.expires
FROM records_metadata r
JOIN libraries l ON l.code = r.library_code
WHERE r.record_type = 'patron';

DELETE FROM records_metadata WHERE record_type = 'patron';

-- +downgrade
INSERT INTO records_metadata (id, pid, record_type, title, code, info, library_code, ref_pid, created, expires)
SELECT p.id, p.pid, 'patron', p.name, p.barcode, p.contact, l.code, p.patron_type, p.created, p.expiry_date
FROM patrons p
JOIN libraries l ON l.id = p.library_id;

DROP TABLE patrons;
