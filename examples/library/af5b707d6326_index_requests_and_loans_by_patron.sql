-- Revision ID: af5b707d6326
-- Revises: 174cd6167ef2
-- Create Date: 2024-03-11 14:36:52
-- Message: index requests and loans by patron

-- +upgrade
CREATE INDEX ix_requests_item ON requests (item_id);
CREATE INDEX ix_loans_patron_state ON loans (patron_id, state);

-- +downgrade
DROP INDEX ix_loans_patron_state;
DROP INDEX ix_requests_item;
