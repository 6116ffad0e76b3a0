"""create storage locations

The first revision of the files branch.

Revision ID: 04893c80c8f6
Revises: 501c9b40637c
Create Date: 2025-03-05 10:00:12.907341

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "04893c80c8f6"
down_revision = "501c9b40637c"
branch_labels = ("files",)
depends_on = None


def upgrade():
    locations = op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("uri", sa.String(length=255), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_locations"),
        sa.UniqueConstraint("name", name="uq_locations_name"),
    )
    op.bulk_insert(
        locations,
        [
            {"id": 1, "name": "local", "uri": "file:///var/data/files", "is_default": True},
            {"id": 2, "name": "archive", "uri": "s3://archive/files", "is_default": False},
        ],
    )


def downgrade():
    op.drop_table("locations")
