-- Revision ID: fcf327591762
-- Revises: 6d5e10e35787
-- Create Date: 2023-11-20 10:36:59
-- Message: charge a fee for each overdue loan

-- +upgrade
CREATE TABLE fees (
    id INTEGER PRIMARY KEY,
    loan_id INTEGER NOT NULL REFERENCES loans (id),
    patron_id INTEGER NOT NULL REFERENCES patrons (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason VARCHAR(32) NOT NULL,
    paid INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1))
);

INSERT INTO fees (id, loan_id, patron_id, amount_cents, reason)
SELECT id, id, patron_id, 200, 'overdue'
FROM loans
WHERE state = 'overdue';

-- +downgrade
DROP TABLE fees;
