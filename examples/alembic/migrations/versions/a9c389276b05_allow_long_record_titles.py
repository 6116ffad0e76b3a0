"""allow long record titles

Revision ID: a9c389276b05
Revises: 8d9e8be1a832
Create Date: 2025-03-17 09:30:48.771912

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a9c389276b05"
down_revision = "8d9e8be1a832"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.alter_column(
            "title",
            existing_type=sa.String(length=255),
            type_=sa.Text(),
            existing_nullable=False,
        )


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.alter_column(
            "title",
            existing_type=sa.Text(),
            type_=sa.String(length=255),
            existing_nullable=False,
        )
