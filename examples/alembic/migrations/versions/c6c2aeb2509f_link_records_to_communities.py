"""link records to communities

Records belong to communities once the files branch is merged into the
main line. The dependency is computed when the module is imported, the way
Invenio packages declare theirs: an installed application has the package,
and then depends on its revision.

Revision ID: c6c2aeb2509f
Revises: 6572cc058faa
Create Date: 2025-03-21 09:44:02.360118

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c6c2aeb2509f"
down_revision = "6572cc058faa"
branch_labels = ()

resolved_depends_on = []
try:
    import sqlalchemy_utils  # noqa: F401

    resolved_depends_on += ["d4013b84a7e5"]
except ImportError:
    pass

depends_on = resolved_depends_on


def upgrade():
    op.create_table(
        "community_records",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"],
            name="fk_community_records_community_id_communities",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_community_records_record_id_records"
        ),
        sa.PrimaryKeyConstraint("community_id", "record_id", name="pk_community_records"),
    )
    op.execute(
        "INSERT INTO community_records (community_id, record_id) "
        "SELECT 1, id FROM records WHERE owner_id = 1"
    )


def downgrade():
    op.drop_table("community_records")
