"""create communities

The first revision of the communities branch. A community's logo is a file
in a storage location, so the branch depends on the files branch's first
revision.

Revision ID: 287ed547b391
Revises: 9823f8d1ef7a
Create Date: 2025-03-11 13:20:37.504120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "287ed547b391"
down_revision = "9823f8d1ef7a"
branch_labels = ("communities",)
depends_on = "04893c80c8f6"


def upgrade():
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("logo_location_id", sa.Integer(), nullable=True),
        sa.Column("created", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["logo_location_id"], ["locations.id"], name="fk_communities_logo_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_communities"),
        sa.UniqueConstraint("slug", name="uq_communities_slug"),
    )


def downgrade():
    op.drop_table("communities")
