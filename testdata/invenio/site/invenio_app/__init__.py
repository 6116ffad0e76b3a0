"""A stand-in for invenio-app: the application factories of an Invenio
instance (invenio_app.factory:create_api, create_ui)."""
