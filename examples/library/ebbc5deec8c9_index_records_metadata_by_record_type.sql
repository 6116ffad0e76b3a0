-- Revision ID: ebbc5deec8c9
-- Revises: ac3724483461
-- Create Date: 2023-09-12 10:47:05
-- Message: index records_metadata by record type

-- +upgrade
CREATE INDEX ix_records_metadata_record_type ON records_metadata (record_type);

-- +downgrade
DROP INDEX ix_records_metadata_record_type;
