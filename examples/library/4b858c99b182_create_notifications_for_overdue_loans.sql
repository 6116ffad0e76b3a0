-- Revision ID: 4b858c99b182
-- Revises: c8c5115d28d0
-- Create Date: 2023-12-18 09:22:40
-- Message: create notifications for overdue loans

-- +upgrade
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    loan_id INTEGER NOT NULL REFERENCES loans (id),
    kind VARCHAR(16) NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'recall')),
    sent_at TIMESTAMP
);

INSERT INTO notifications (id, loan_id, kind)
SELECT id, id, 'overdue' FROM loans WHERE state = 'overdue';

-- +downgrade
DROP TABLE notifications;
