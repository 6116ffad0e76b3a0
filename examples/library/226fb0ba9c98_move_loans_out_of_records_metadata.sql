-- Revision ID: 226fb0ba9c98
-- Revises: 12cda8067623
-- Create Date: 2023-10-30 09:15:48
-- Depends On: 7563ba6d7561
-- Message: move loans out of records_metadata

-- +upgrade
-- Loans point at items, which the catalog branch creates: hence the
-- Depends On header.
CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    item_id INTEGER NOT NULL REFERENCES items (id),
    patron_id INTEGER NOT NULL REFERENCES patrons (id),
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    state VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'active', 'overdue', 'returned')),
    start_date DATE NOT NULL,
    due_date DATE
);

INSERT INTO loans (id, pid, item_id, patron_id, library_id, state, start_date, due_date)
SELECT r.id, r.pid, i.id, p.id, l.id, r.code, r.created, r.expires
FROM records_metadata r
JOIN items i ON i.pid = r.parent_pid
JOIN patrons p ON p.pid = r.ref_pid
JOIN libraries l ON l.code = r.library_code
WHERE r.record_type = 'loan';

DELETE FROM records_metadata WHERE record_type = 'loan';

-- +downgrade
INSERT INTO records_metadata (id, pid, record_type, code, library_code, parent_pid, ref_pid, created, expires)
SELECT lo.id, lo.pid, 'loan', lo.state, l.code, i.pid, p.pid, lo.start_date, lo.due_date
FROM loans lo
JOIN items i ON i.id = lo.item_id
JOIN patrons p ON p.id = lo.patron_id
JOIN libraries l ON l.id = lo.library_id;

DROP TABLE loans;
