"""`invenio alembic ...` (here `flask --app invenio_app.factory:create_api
alembic ...`): the commands Flask-Alembic gives an Invenio application,
reduced to the ones the tests compare retort with. Like Flask-Alembic, they
need no env.py: the version locations come from app.config["ALEMBIC"], the
connection from Flask-SQLAlchemy, the context options from
app.config["ALEMBIC_CONTEXT"], and target_metadata is db.metadata (whose
naming convention names the constraints the revisions create)."""

import os

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from .shared import db


def alembic_config():
    conf = current_app.config["ALEMBIC"]
    locations = [conf["script_location"]] + [
        loc if isinstance(loc, str) else loc[1] for loc in conf["version_locations"]
    ]
    cfg = Config()
    cfg.set_main_option("script_location", conf["script_location"])
    cfg.set_main_option("version_path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    return cfg


def run_migrations(fn):
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    env = EnvironmentContext(cfg, script)
    with db.engine.connect() as connection:
        env.configure(
            connection=connection, target_metadata=db.metadata, fn=lambda rev, ctx: fn(script, rev),
            **current_app.config["ALEMBIC_CONTEXT"],
        )
        with env.begin_transaction():
            env.run_migrations()


@click.group()
def alembic():
    """Database migrations (Flask-Alembic's commands)."""


@alembic.command()
@with_appcontext
def heads():
    """Show the heads."""
    command.heads(alembic_config())


@alembic.command()
@click.option("-v", "--verbose", is_flag=True)
@with_appcontext
def history(verbose):
    """Show the history."""
    command.history(alembic_config(), verbose=verbose)


@alembic.command()
@click.argument("target", default="heads")
@with_appcontext
def upgrade(target):
    """Upgrade the database to TARGET."""
    run_migrations(lambda script, rev: script._upgrade_revs(target, rev))


@alembic.command()
@click.argument("target")
@with_appcontext
def downgrade(target):
    """Downgrade the database to TARGET."""
    run_migrations(lambda script, rev: script._downgrade_revs(target, rev))
