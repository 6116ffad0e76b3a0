-- Revision ID: eeb4d7e34f58
-- Revises: 1e50f683e98c
-- Create Date: 2023-12-11 10:03:50
-- Message: replace item categories with item_types

-- +upgrade
CREATE TABLE item_types (
    id INTEGER PRIMARY KEY,
    code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(64) NOT NULL,
    loan_days INTEGER NOT NULL CHECK (loan_days >= 0)
);

INSERT INTO item_types (id, code, name, loan_days) VALUES
    (1, 'standard', 'Standard loan', 28),
    (2, 'short', 'Short loan', 7),
    (3, 'reference', 'Reference only', 0);

-- No REFERENCES clause: SQLite cannot drop a column that has one, and the
-- downgrade drops it.
ALTER TABLE items ADD COLUMN item_type_id INTEGER;

UPDATE items SET item_type_id = (SELECT t.id FROM item_types t WHERE t.code = items.item_type);

ALTER TABLE items DROP COLUMN item_type;

-- +downgrade
ALTER TABLE items ADD COLUMN item_type VARCHAR(16) NOT NULL DEFAULT 'standard';

UPDATE items SET item_type = (SELECT t.code FROM item_types t WHERE t.id = items.item_type_id);

ALTER TABLE items DROP COLUMN item_type_id;

DROP TABLE item_types;
