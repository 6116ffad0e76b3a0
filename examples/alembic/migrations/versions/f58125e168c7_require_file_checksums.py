"""require file checksums

Fills the missing checksums, then makes the column NOT NULL and adds a
mimetype.

Revision ID: f58125e168c7
Revises: 30c2f5049d46
Create Date: 2025-03-06 08:47:30.660158

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f58125e168c7"
down_revision = "30c2f5049d46"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE files SET checksum = 'unknown' WHERE checksum IS NULL")
    with op.batch_alter_table("files") as batch_op:
        batch_op.alter_column(
            "checksum", existing_type=sa.String(length=64), nullable=False
        )
        batch_op.add_column(sa.Column("mimetype", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("files") as batch_op:
        batch_op.drop_column("mimetype")
        batch_op.alter_column(
            "checksum", existing_type=sa.String(length=64), nullable=True
        )
    op.execute("UPDATE files SET checksum = NULL WHERE checksum = 'unknown'")
