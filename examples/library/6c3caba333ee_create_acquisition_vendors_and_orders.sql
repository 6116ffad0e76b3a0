-- Revision ID: 6c3caba333ee
-- Revises: 3f0df38f2af8
-- Create Date: 2024-02-12 13:07:45
-- Message: create acquisition vendors and orders

-- +upgrade
CREATE TABLE acq_vendors (
    id INTEGER PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    email VARCHAR(255)
);

CREATE TABLE acq_orders (
    id INTEGER PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES acq_vendors (id),
    library_id INTEGER NOT NULL REFERENCES libraries (id),
    document_id INTEGER NOT NULL REFERENCES documents (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    status VARCHAR(16) NOT NULL CHECK (status IN ('ordered', 'received', 'cancelled')),
    ordered_on DATE NOT NULL
);

INSERT INTO acq_vendors (id, name, email) VALUES
    (1, 'Librairie Payot', 'commandes@payot.example'),
    (2, 'Blackwell''s', 'orders@blackwells.example');

INSERT INTO acq_orders (id, vendor_id, library_id, document_id, quantity, status, ordered_on) VALUES
    (1, 1, 1, 9, 1, 'received', '2024-01-05'),
    (2, 2, 3, 8, 1, 'received', '2024-01-06'),
    (3, 2, 4, 4, 3, 'ordered', '2024-01-08'),
    (4, 1, 2, 12, 1, 'cancelled', '2024-01-09');

-- +downgrade
DROP TABLE acq_orders;
DROP TABLE acq_vendors;
