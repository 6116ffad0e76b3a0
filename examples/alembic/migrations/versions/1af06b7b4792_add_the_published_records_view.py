"""add the published_records view

Revision ID: 1af06b7b4792
Revises: 02f790980514
Create Date: 2025-03-25 10:18:33.730466

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "1af06b7b4792"
down_revision = "02f790980514"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE VIEW published_records AS "
        "SELECT r.id, r.slug, r.title, u.email AS owner "
        "FROM records r JOIN users u ON u.id = r.owner_id "
        "WHERE r.status = 'published'"
    )


def downgrade():
    op.execute("DROP VIEW published_records")
