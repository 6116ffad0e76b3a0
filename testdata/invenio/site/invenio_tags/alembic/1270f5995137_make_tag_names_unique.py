"""Make tag names unique."""

from alembic import op

# revision identifiers, used by Alembic.
revision = "1270f5995137"
down_revision = "9685ce08dbae"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database.

    The constraint is unnamed here: the naming convention of db.metadata,
    Alembic's target_metadata, names it uq_tags_name, the name downgrade()
    drops (without it, PostgreSQL would call it tags_name_key).
    """
    op.create_unique_constraint(None, "tags", ["name"])


def downgrade():
    """Downgrade database."""
    op.drop_constraint("uq_tags_name", "tags", type_="unique")
