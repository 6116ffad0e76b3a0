"""seed the first books

Revision ID: 491444cdad9e
Revises: 6aeaeded92fe
Create Date: 2026-12-07 02:35:02.568324

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '491444cdad9e'
down_revision = '6aeaeded92fe'
branch_labels = None
depends_on = None


authors = sa.table("authors", sa.column("id", sa.Integer), sa.column("name", sa.String))
books = sa.table(
    "books", sa.column("id", sa.Integer), sa.column("title", sa.String), sa.column("author_id", sa.Integer)
)


def upgrade():
    op.bulk_insert(authors, [{"id": 1, "name": "Ursula K. Le Guin"}, {"id": 2, "name": "Italo Calvino"}])
    op.bulk_insert(
        books,
        [
            {"id": 1, "title": "The Dispossessed", "author_id": 1},
            {"id": 2, "title": "The Left Hand of Darkness", "author_id": 1},
            {"id": 3, "title": "Invisible Cities", "author_id": 2},
        ],
    )


def downgrade():
    op.execute(books.delete().where(books.c.id.in_([1, 2, 3])))
    op.execute(authors.delete().where(authors.c.id.in_([1, 2])))
