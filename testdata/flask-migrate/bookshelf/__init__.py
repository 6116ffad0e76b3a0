"""A Flask application set up as Flask-Migrate's documentation shows: an
application factory, Flask-SQLAlchemy, and Migrate(app, db) with the
migrations/ directory that `flask db init` lays out beside the package.

    FLASK_APP=bookshelf flask db upgrade
    FLASK_APP=bookshelf retort upgrade heads

The database is BOOKSHELF_DATABASE_URI, else the SQLite file bookshelf.db in
the application's instance folder (Flask-SQLAlchemy 3 puts relative SQLite
paths there).
"""

import os

from flask import Flask
from flask_migrate import Migrate

from .models import db

# One transaction per revision: the data migration in
# c5ff7c576e3b_fill_in_the_book_slugs.py reads and writes through
# db.session, a connection of its own, which sees only the tables the
# revisions before it committed (PostgreSQL); in one transaction for the
# whole upgrade, Flask-Migrate's default, it would find no books table.
migrate = Migrate(transaction_per_migration=True)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("BOOKSHELF_DATABASE_URI", "sqlite:///bookshelf.db")
    db.init_app(app)
    migrate.init_app(app, db)
    return app
