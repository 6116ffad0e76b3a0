"""seed the demo data

A data migration: the demo users and records every instance starts with.

Revision ID: 501c9b40637c
Revises: ab44c0377c15
Create Date: 2025-03-04 14:02:19.300455

"""
import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "501c9b40637c"
down_revision = "ab44c0377c15"
branch_labels = None
depends_on = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("created", sa.DateTime),
)
records = sa.table(
    "records",
    sa.column("id", sa.Integer),
    sa.column("owner_id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("json", sa.Text),
    sa.column("legacy_pid", sa.String),
    sa.column("created", sa.DateTime),
)

DAY = datetime.datetime(2025, 3, 4, 12, 0, 0)


def upgrade():
    op.bulk_insert(
        users,
        [
            {"id": 1, "email": "ada@example.org", "created": DAY},
            {"id": 2, "email": "grace@example.org", "created": DAY},
            {"id": 3, "email": "alan@example.org", "created": DAY},
        ],
    )
    op.bulk_insert(
        records,
        [
            {"id": 1, "owner_id": 1, "title": "Notes on the Analytical Engine",
             "json": '{"type": "book"}', "legacy_pid": "r-0001", "created": DAY},
            {"id": 2, "owner_id": 2, "title": "A Compiler for Flow-Matic",
             "json": '{"type": "report"}', "legacy_pid": "r-0002", "created": DAY},
            {"id": 3, "owner_id": 3, "title": "On Computable Numbers",
             "json": None, "legacy_pid": "r-0003", "created": DAY},
            {"id": 4, "owner_id": 1, "title": "Sketch of the Analytical Engine",
             "json": '{"type": "translation"}', "legacy_pid": None, "created": DAY},
        ],
    )


def downgrade():
    op.execute("DELETE FROM records WHERE id IN (1, 2, 3, 4)")
    op.execute("DELETE FROM users WHERE id IN (1, 2, 3)")
