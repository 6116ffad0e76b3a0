-- Revision ID: c8c5115d28d0
-- Revises: fcf327591762
-- Create Date: 2023-12-04 14:58:13
-- Message: split patron contact into email and phone

-- +upgrade
ALTER TABLE patrons ADD COLUMN email VARCHAR(255);
ALTER TABLE patrons ADD COLUMN phone VARCHAR(32);

UPDATE patrons SET email = contact WHERE contact LIKE '%@%';
UPDATE patrons SET phone = contact WHERE contact NOT LIKE '%@%';

ALTER TABLE patrons DROP COLUMN contact;

-- +downgrade
ALTER TABLE patrons ADD COLUMN contact VARCHAR(255);

UPDATE patrons SET contact = COALESCE(email, phone);

ALTER TABLE patrons DROP COLUMN phone;
ALTER TABLE patrons DROP COLUMN email;
