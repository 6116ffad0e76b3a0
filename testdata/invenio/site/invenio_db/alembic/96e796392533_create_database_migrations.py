"""Create database migrations."""

# revision identifiers, used by Alembic.
revision = "96e796392533"
down_revision = None
branch_labels = ("default",)
depends_on = None


def upgrade():
    """Upgrade database."""


def downgrade():
    """Downgrade database."""
