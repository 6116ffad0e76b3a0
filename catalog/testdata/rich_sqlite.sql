-- Every kind of object catalog reads on SQLite, for the tests.
CREATE TABLE kinds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code varchar(16) NOT NULL UNIQUE,
    label TEXT COLLATE NOCASE DEFAULT 'none',
    weight REAL CHECK (weight >= 0),
    doubled REAL GENERATED ALWAYS AS (weight * 2) VIRTUAL,
    CONSTRAINT code_short CHECK (length(code) < 10)
);
CREATE TABLE "Things" (
    kind_id INTEGER NOT NULL REFERENCES kinds (id) ON DELETE CASCADE,
    serial TEXT NOT NULL,
    stored_len INTEGER AS (length(serial)) STORED,
    note TEXT,
    PRIMARY KEY (kind_id, serial),
    UNIQUE (serial, note)
) WITHOUT ROWID;
CREATE TABLE strict_one (a INTEGER, b TEXT) STRICT;
CREATE INDEX things_note ON "Things" (note) WHERE note IS NOT NULL;
CREATE UNIQUE INDEX kinds_lower_label ON kinds (lower(label) DESC);
CREATE VIEW heavy AS
    SELECT id, code
    FROM kinds  -- the heavy ones
    WHERE weight > 10;
CREATE TRIGGER kinds_touch AFTER UPDATE ON kinds
BEGIN
    UPDATE kinds SET label = 'touched' WHERE id = NEW.id;
END;
INSERT INTO kinds (code, weight) VALUES ('a', 1);
