"""Create loans branch."""

# revision identifiers, used by Alembic.
revision = "bc51a3812bb0"
down_revision = None
branch_labels = ("invenio_loans",)
depends_on = "dbdbc1b19cf2"


def upgrade():
    """Upgrade database."""


def downgrade():
    """Downgrade database."""
