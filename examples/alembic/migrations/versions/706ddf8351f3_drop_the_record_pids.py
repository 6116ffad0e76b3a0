"""drop the record pids

Persistent identifiers moved to the pidstore; the column goes.

Revision ID: 706ddf8351f3
Revises: d4013b84a7e5
Create Date: 2025-03-24 11:07:26.822191

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "706ddf8351f3"
down_revision = "d4013b84a7e5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("pid")


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.add_column(sa.Column("pid", sa.String(length=64), nullable=True))
