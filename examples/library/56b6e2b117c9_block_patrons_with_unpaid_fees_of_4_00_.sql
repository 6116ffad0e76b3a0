-- Revision ID: 56b6e2b117c9
-- Revises: 9fe9344404e7
-- Create Date: 2024-02-26 16:19:04
-- Message: block patrons with unpaid fees of 4.00 or more

-- +upgrade
ALTER TABLE patrons ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1));

UPDATE patrons SET blocked = 1
WHERE id IN (
    SELECT patron_id FROM patron_transactions
    WHERE paid = 0
    GROUP BY patron_id
    HAVING SUM(amount_cents) >= 400
);

-- +downgrade
ALTER TABLE patrons DROP COLUMN blocked;
