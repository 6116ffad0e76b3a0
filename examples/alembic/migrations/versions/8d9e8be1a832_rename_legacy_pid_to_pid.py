"""rename legacy_pid to pid

Revision ID: 8d9e8be1a832
Revises: d39f2f4d5929
Create Date: 2025-03-17 09:02:11.003870

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8d9e8be1a832"
down_revision = "d39f2f4d5929"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.alter_column(
            "legacy_pid", new_column_name="pid", existing_type=sa.String(length=64)
        )


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.alter_column(
            "pid", new_column_name="legacy_pid", existing_type=sa.String(length=64)
        )
