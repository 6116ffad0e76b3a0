"""merge communities

Revision ID: 29127b1a565c
Revises: 1af06b7b4792, c6c2aeb2509f
Create Date: 2025-03-26 09:00:00.000000

"""


# revision identifiers, used by Alembic.
revision = "29127b1a565c"
down_revision = ("1af06b7b4792", "c6c2aeb2509f")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
