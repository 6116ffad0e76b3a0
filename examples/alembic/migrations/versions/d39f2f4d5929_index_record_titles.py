"""index record titles

On PostgreSQL the index is built with CREATE INDEX CONCURRENTLY, which
cannot run in a transaction: Alembic's autocommit_block() runs it outside.

Revision ID: d39f2f4d5929
Revises: c61f6a5b7c20
Create Date: 2025-03-12 16:03:44.412009

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "d39f2f4d5929"
down_revision = "c61f6a5b7c20"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(
                "ix_records_title", "records", ["title"], postgresql_concurrently=True
            )
    else:
        op.create_index("ix_records_title", "records", ["title"])


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.drop_index("ix_records_title", table_name="records", postgresql_concurrently=True)
    else:
        op.drop_index("ix_records_title", table_name="records")
