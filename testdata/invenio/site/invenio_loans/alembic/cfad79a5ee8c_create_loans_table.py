"""Create loans table."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "cfad79a5ee8c"
down_revision = "bc51a3812bb0"
branch_labels = ()
# The loans refer to the shelf's items: the shelf's tables come first.
depends_on = "bf53bc083d05"


def upgrade():
    """Upgrade database."""
    op.create_table(
        "loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("borrower", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["shelf_items.id"], name=op.f("fk_loans_item_id_shelf_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("loans")
