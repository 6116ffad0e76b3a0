"""Create shelf tables."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "bf53bc083d05"
down_revision = "b29978b7e623"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    items = op.create_table(
        "shelf_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("borrower", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shelf_items")),
    )
    op.bulk_insert(
        items,
        [
            {"id": 1, "title": "The Dispossessed", "borrower": "ada"},
            {"id": 2, "title": "Invisible Cities", "borrower": None},
            {"id": 3, "title": "Kindred", "borrower": "grace"},
        ],
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("shelf_items")
