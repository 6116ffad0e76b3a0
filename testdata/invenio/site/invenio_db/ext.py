"""The InvenioDB extension."""

import os
from importlib.metadata import entry_points
from importlib.resources import files

from .shared import db


class InvenioDB:
    """Sets up Flask-SQLAlchemy and the Alembic configuration as invenio-db
    does: SQLALCHEMY_DATABASE_URI (default: a SQLite file in the instance
    folder), the models of the `invenio_db.models` entry points, and
    ALEMBIC with invenio_db/alembic as script location and one version
    location per `invenio_db.alembic` entry point (NAME = package:directory)."""

    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", "sqlite:///" + os.path.join(app.instance_path, app.name + ".db"))
        db.init_app(app)
        for ep in entry_points(group="invenio_db.models"):
            ep.load()
        version_locations = [
            (ep.name, str(files(ep.module) / os.path.join(ep.attr))) for ep in entry_points(group="invenio_db.alembic")
        ]
        app.config.setdefault(
            "ALEMBIC",
            {"script_location": str(files("invenio_db") / "alembic"), "version_locations": version_locations},
        )
        app.config.setdefault("ALEMBIC_CONTEXT", {"transaction_per_migration": True})
        app.extensions["invenio-db"] = self
        from .cli import alembic

        app.cli.add_command(alembic)
