"""Invenio's application factories, with the shape of invenio-app's and
invenio-base's: the configuration comes from the defaults, then the
instance folder's invenio.cfg, then the INVENIO_* environment variables
(INVENIO_SQLALCHEMY_DATABASE_URI sets SQLALCHEMY_DATABASE_URI); the
extensions are the entry points of invenio_base.api_apps (create_api) or
invenio_base.apps (create_ui)."""

import ast
import os
import sys
from importlib.metadata import entry_points

from flask import Flask

ENV_PREFIX = "INVENIO_"


def instance_path():
    return os.environ.get(ENV_PREFIX + "INSTANCE_PATH") or os.path.join(sys.prefix, "var", "instance")


def load_config(app):
    app.config.from_pyfile(os.path.join(app.instance_path, "invenio.cfg"), silent=True)
    for name, value in os.environ.items():
        if name.startswith(ENV_PREFIX):
            try:
                value = ast.literal_eval(value)
            except (SyntaxError, ValueError):
                pass
            app.config[name[len(ENV_PREFIX):]] = value


def create_app_factory(app_name, extension_group):
    def factory(**config):
        app = Flask(app_name, instance_path=instance_path())
        load_config(app)
        app.config.update(config)
        for ep in entry_points(group=extension_group):
            ep.load()(app)
        return app

    return factory


create_api = create_app_factory("invenio", "invenio_base.api_apps")
create_ui = create_app_factory("invenio", "invenio_base.apps")
