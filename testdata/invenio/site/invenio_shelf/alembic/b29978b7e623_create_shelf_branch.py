"""Create shelf branch."""

# revision identifiers, used by Alembic.
revision = "b29978b7e623"
down_revision = None
branch_labels = ("invenio_shelf",)
depends_on = "dbdbc1b19cf2"


def upgrade():
    """Upgrade database."""


def downgrade():
    """Downgrade database."""
