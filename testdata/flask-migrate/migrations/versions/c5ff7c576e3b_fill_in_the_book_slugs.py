"""fill in the book slugs

Revision ID: c5ff7c576e3b
Revises: 03cb13308d7d
Create Date: 2026-12-07 02:35:13.502580

"""
import logging
import re

from alembic import op
import sqlalchemy as sa

from bookshelf.models import Book, db

log = logging.getLogger("alembic")


# revision identifiers, used by Alembic.
revision = 'c5ff7c576e3b'
down_revision = '03cb13308d7d'
branch_labels = None
depends_on = None


def slugify(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def upgrade():
    # A data migration through the application, as Flask projects write
    # them: the model's query and the session of Flask-SQLAlchemy, which
    # needs the application context Flask-Migrate's env.py runs in.
    books = Book.query.filter(Book.slug.is_(None)).order_by(Book.id).all()
    for book in books:
        book.slug = slugify(book.title)
    db.session.commit()
    log.info("filled in %d book slugs", len(books))


def downgrade():
    Book.query.update({Book.slug: None})
    db.session.commit()
