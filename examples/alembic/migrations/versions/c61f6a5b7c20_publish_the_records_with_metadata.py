"""publish the records with metadata

Revision ID: c61f6a5b7c20
Revises: 9823f8d1ef7a
Create Date: 2025-03-10 11:40:07.775123

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "c61f6a5b7c20"
down_revision = "9823f8d1ef7a"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE records SET status = 'published' WHERE json IS NOT NULL")


def downgrade():
    op.execute("UPDATE records SET status = 'draft'")
