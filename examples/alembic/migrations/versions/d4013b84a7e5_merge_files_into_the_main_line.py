"""merge files into the main line

Revision ID: d4013b84a7e5
Revises: 5b95b0aaafca, f58125e168c7
Create Date: 2025-03-20 10:00:00.000000

"""


# revision identifiers, used by Alembic.
revision = "d4013b84a7e5"
down_revision = ("5b95b0aaafca", "f58125e168c7")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
