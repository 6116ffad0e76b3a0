"""check record statuses

Revision ID: 02f790980514
Revises: 706ddf8351f3
Create Date: 2025-03-24 15:40:10.140277

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "02f790980514"
down_revision = "706ddf8351f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.create_check_constraint(
            "ck_records_status", "status IN ('draft', 'published', 'deleted')"
        )


def downgrade():
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_constraint("ck_records_status", type_="check")
