"""Lend the borrowed items."""

import logging

from invenio_db import db
from invenio_loans.models import Loan
from invenio_shelf.models import ShelfItem

# revision identifiers, used by Alembic.
revision = "a576f315b55b"
down_revision = "cfad79a5ee8c"
branch_labels = ()
depends_on = None

log = logging.getLogger("alembic")


def upgrade():
    """Upgrade database: a loan for each item that names a borrower.

    A data migration as Invenio packages write them: through the models and
    db.session, in the application context.
    """
    items = ShelfItem.query.filter(ShelfItem.borrower.isnot(None)).order_by(ShelfItem.id).all()
    for item in items:
        db.session.add(Loan(item_id=item.id, borrower=item.borrower))
    db.session.commit()
    log.info("lent %d items", len(items))


def downgrade():
    """Downgrade database."""
    Loan.query.delete()
    db.session.commit()
