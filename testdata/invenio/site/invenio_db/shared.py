"""The database object every Invenio package shares."""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

# Constraint names come from this convention: revisions written against it
# create and drop constraints by these names (pk_<table>, uq_<table>_<col>).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
