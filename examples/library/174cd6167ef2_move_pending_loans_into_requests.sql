-- Revision ID: 174cd6167ef2
-- Revises: 56b6e2b117c9
-- Create Date: 2024-03-04 09:08:26
-- Message: move pending loans into requests

-- +upgrade
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    item_id INTEGER NOT NULL REFERENCES items (id),
    patron_id INTEGER NOT NULL REFERENCES patrons (id),
    pickup_library_id INTEGER NOT NULL REFERENCES libraries (id),
    requested_on DATE NOT NULL
);

INSERT INTO requests (id, pid, item_id, patron_id, pickup_library_id, requested_on)
SELECT id, pid, item_id, patron_id, library_id, start_date
FROM loans
WHERE state = 'pending';

DELETE FROM loans WHERE state = 'pending';

-- +downgrade
INSERT INTO loans (id, pid, item_id, patron_id, library_id, state, start_date, due_date)
SELECT id, pid, item_id, patron_id, pickup_library_id, 'pending', requested_on, NULL
FROM requests;

DROP TABLE requests;
