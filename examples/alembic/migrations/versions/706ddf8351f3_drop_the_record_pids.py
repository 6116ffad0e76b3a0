"""drop the record pids

Persistent identifiers move to the pidstore table; the column goes. The
downgrade puts them back from there.

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
    op.create_table(
        "pidstore",
        sa.Column("pid", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_pidstore_record_id_records"),
        sa.PrimaryKeyConstraint("pid", name="pk_pidstore"),
    )
    op.execute("INSERT INTO pidstore (pid, record_id) SELECT pid, id FROM records WHERE pid IS NOT NULL")
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("pid")


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.add_column(sa.Column("pid", sa.String(length=64), nullable=True))
    op.execute("UPDATE records SET pid = (SELECT p.pid FROM pidstore p WHERE p.record_id = records.id)")
    op.drop_table("pidstore")
