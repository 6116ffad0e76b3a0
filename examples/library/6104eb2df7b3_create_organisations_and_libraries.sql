-- Revision ID: 6104eb2df7b3
-- Revises:
-- Create Date: 2023-09-04 09:12:41
-- Message: create organisations and libraries

-- +upgrade
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    code VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(255) NOT NULL
);

CREATE TABLE libraries (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(255) NOT NULL
);

INSERT INTO organisations (id, code, name) VALUES
    (1, 'aoste', 'Bibliothèques de la Vallée d''Aoste'),
    (2, 'highlands', 'Highland Libraries');

INSERT INTO libraries (id, organisation_id, code, name) VALUES
    (1, 1, 'AO-CENT', 'Bibliothèque régionale d''Aoste'),
    (2, 1, 'AO-CHAT', 'Bibliothèque de Châtillon'),
    (3, 2, 'HL-INV', 'Inverness Library'),
    (4, 2, 'HL-FW', 'Fort William Library');

-- +downgrade
DROP TABLE libraries;
DROP TABLE organisations;
