"""create files

Revision ID: 30c2f5049d46
Revises: 04893c80c8f6
Create Date: 2025-03-05 10:31:55.181004

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "30c2f5049d46"
down_revision = "04893c80c8f6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_files_record_id_records"),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name="fk_files_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
        sa.UniqueConstraint("record_id", "key", name="uq_files_record_id_key"),
    )
    files = sa.table(
        "files",
        sa.column("id", sa.Integer),
        sa.column("record_id", sa.Integer),
        sa.column("location_id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("size", sa.BigInteger),
        sa.column("checksum", sa.String),
    )
    op.bulk_insert(
        files,
        [
            {"id": 1, "record_id": 1, "location_id": 1, "key": "notes.pdf", "size": 18211,
             "checksum": "md5:1f3870be274f6c49b3e31a0c6728957f"},
            {"id": 2, "record_id": 2, "location_id": 1, "key": "flow-matic.pdf", "size": 90412,
             "checksum": None},
            {"id": 3, "record_id": 3, "location_id": 2, "key": "computable.tex", "size": 3310,
             "checksum": None},
        ],
    )


def downgrade():
    op.drop_table("files")
