"""Create tags table."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9685ce08dbae"
down_revision = "186dce45d004"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("tags")
