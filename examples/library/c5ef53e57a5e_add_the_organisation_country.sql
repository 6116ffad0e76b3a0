-- Revision ID: c5ef53e57a5e
-- Revises: af5b707d6326
-- Create Date: 2024-03-18 10:24:13
-- Message: add the organisation country

-- +upgrade
ALTER TABLE organisations ADD COLUMN country VARCHAR(2);

UPDATE organisations SET country = 'IT' WHERE code = 'aoste';
UPDATE organisations SET country = 'GB' WHERE code = 'highlands';

-- +downgrade
ALTER TABLE organisations DROP COLUMN country;
