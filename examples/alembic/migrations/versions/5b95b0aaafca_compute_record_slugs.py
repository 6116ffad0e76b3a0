"""compute record slugs

Reads the records through the migration's connection and writes a slug for
each one, logging what it did, as data migrations in Invenio packages do.

Revision ID: 5b95b0aaafca
Revises: a9c389276b05
Create Date: 2025-03-18 15:12:09.412287

"""
import logging
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b95b0aaafca"
down_revision = "a9c389276b05"
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic")


def slugify(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def upgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.add_column(sa.Column("slug", sa.String(length=255), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, title FROM records ORDER BY id")).fetchall()
    for record_id, title in rows:
        conn.execute(
            sa.text("UPDATE records SET slug = :slug WHERE id = :id"),
            {"slug": slugify(title), "id": record_id},
        )
    logger.info("computed the slugs of %d records", len(rows))


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("slug")
