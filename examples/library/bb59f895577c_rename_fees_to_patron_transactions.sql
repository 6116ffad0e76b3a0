-- Revision ID: bb59f895577c
-- Revises: 4b858c99b182
-- Create Date: 2024-01-15 11:11:57
-- Message: rename fees to patron_transactions

-- +upgrade
ALTER TABLE fees RENAME TO patron_transactions;

-- +downgrade
ALTER TABLE patron_transactions RENAME TO fees;
