"""add a status to records

Revision ID: 9823f8d1ef7a
Revises: 501c9b40637c
Create Date: 2025-03-10 11:25:51.020311

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9823f8d1ef7a"
down_revision = "501c9b40637c"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "records",
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
    )


def downgrade():
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("status")
