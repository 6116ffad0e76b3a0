"""add a locale to users

Revision ID: 8e9e2443d4b7
Revises: 29127b1a565c
Create Date: 2025-04-01 08:30:19.951004

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8e9e2443d4b7"
down_revision = "29127b1a565c"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "users", sa.Column("locale", sa.String(length=5), server_default="en", nullable=False)
    )
    op.execute("UPDATE users SET locale = 'en-GB' WHERE email LIKE 'a%'")


def downgrade():
    op.drop_column("users", "locale")
