"""The shelf's models."""

from invenio_db import db


class ShelfItem(db.Model):
    __tablename__ = "shelf_items"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    borrower = db.Column(db.String(120), nullable=True)
