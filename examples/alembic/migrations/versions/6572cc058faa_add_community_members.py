"""add community members

Revision ID: 6572cc058faa
Revises: 287ed547b391
Create Date: 2025-03-11 14:02:51.987342

"""
import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "6572cc058faa"
down_revision = "287ed547b391"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "community_members",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), server_default="member", nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"],
            name="fk_community_members_community_id_communities", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_community_members_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("community_id", "user_id", name="pk_community_members"),
    )
    communities = sa.table(
        "communities",
        sa.column("id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("title", sa.String),
        sa.column("created", sa.DateTime),
    )
    op.bulk_insert(
        communities,
        [{"id": 1, "slug": "engines", "title": "Analytical engines",
          "created": datetime.datetime(2025, 3, 11, 12, 0, 0)}],
    )
    op.execute("INSERT INTO community_members (community_id, user_id, role) VALUES (1, 1, 'owner')")
    op.execute("INSERT INTO community_members (community_id, user_id) VALUES (1, 3)")


def downgrade():
    op.drop_table("community_members")
    op.execute("DELETE FROM communities WHERE id = 1")
