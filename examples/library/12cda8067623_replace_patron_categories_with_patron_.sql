-- Revision ID: 12cda8067623
-- Revises: 540677030265
-- Create Date: 2023-10-16 11:49:07
-- Message: replace patron categories with patron_types

-- +upgrade
CREATE TABLE patron_types (
    id INTEGER PRIMARY KEY,
    code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(64) NOT NULL,
    max_loans INTEGER NOT NULL CHECK (max_loans >= 0)
);

INSERT INTO patron_types (id, code, name, max_loans) VALUES
    (1, 'adult', 'Adult', 10),
    (2, 'child', 'Child', 5),
    (3, 'staff', 'Staff', 30);

ALTER TABLE patrons ADD COLUMN patron_type_id INTEGER;

UPDATE patrons SET patron_type_id = (SELECT t.id FROM patron_types t WHERE t.code = patrons.patron_type);

ALTER TABLE patrons DROP COLUMN patron_type;

-- +downgrade
ALTER TABLE patrons ADD COLUMN patron_type VARCHAR(16) NOT NULL DEFAULT 'adult';

UPDATE patrons SET patron_type = (SELECT t.code FROM patron_types t WHERE t.id = patrons.patron_type_id);

ALTER TABLE patrons DROP COLUMN patron_type_id;

DROP TABLE patron_types;
