-- Revision ID: dd2e9516bcc5
-- Revises: c5ef53e57a5e
-- Create Date: 2024-03-25 11:57:29
-- Message: add the patron locale

-- +upgrade
ALTER TABLE patrons ADD COLUMN locale VARCHAR(5) NOT NULL DEFAULT 'fr';

UPDATE patrons SET locale = 'en'
WHERE library_id IN (
    SELECT l.id FROM libraries l
    JOIN organisations o ON o.id = l.organisation_id
    WHERE o.country = 'GB'
);

-- +downgrade
ALTER TABLE patrons DROP COLUMN locale;
