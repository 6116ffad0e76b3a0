"""A stand-in for invenio-db with its real shape: the InvenioDB extension on
Flask-SQLAlchemy, the shared `db` whose metadata carries Invenio's naming
convention, the base revisions in invenio_db/alembic (the script location),
and the version locations of the `invenio_db.alembic` entry points of the
installed packages."""

from .ext import InvenioDB
from .shared import db

__all__ = ("InvenioDB", "db")
