"""The loans' models."""

from invenio_db import db


class Loan(db.Model):
    __tablename__ = "loans"

    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("shelf_items.id"), nullable=False)
    borrower = db.Column(db.String(120), nullable=False)
