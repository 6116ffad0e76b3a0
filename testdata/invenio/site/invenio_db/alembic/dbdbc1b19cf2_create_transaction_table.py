"""Create transaction table."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dbdbc1b19cf2"
down_revision = "96e796392533"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "transaction",
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("remote_addr", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("transaction")
