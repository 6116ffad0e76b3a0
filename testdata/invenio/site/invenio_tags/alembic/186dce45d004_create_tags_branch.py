"""Create tags branch."""

# revision identifiers, used by Alembic.
revision = "186dce45d004"
down_revision = None
branch_labels = ("invenio_tags",)
depends_on = "dbdbc1b19cf2"


def upgrade():
    """Upgrade database."""


def downgrade():
    """Downgrade database."""
