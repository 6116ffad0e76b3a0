"""create records

Revision ID: ab44c0377c15
Revises: 0a0c5102ebf9
Create Date: 2025-03-03 09:40:02.551873

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "ab44c0377c15"
down_revision = "0a0c5102ebf9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("json", sa.Text(), nullable=True),
        sa.Column("legacy_pid", sa.String(length=64), nullable=True),
        sa.Column("created", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_records_owner_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
    )
    op.create_index("ix_records_owner_id", "records", ["owner_id"])


def downgrade():
    op.drop_index("ix_records_owner_id", table_name="records")
    op.drop_table("records")
