CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER, updated TEXT);
CREATE TABLE audit (item INTEGER, old INTEGER, new INTEGER);
CREATE TABLE stock (item INTEGER, level TEXT);
CREATE TRIGGER items_audit AFTER UPDATE OF qty ON items
FOR EACH ROW
WHEN NEW.qty <> OLD.qty
BEGIN
    INSERT INTO audit (item, old, new) VALUES (OLD.id, OLD.qty, NEW.qty);
    UPDATE items SET updated = datetime('now') WHERE id = NEW.id;
    UPDATE stock SET level = CASE WHEN NEW.qty > 10 THEN 'high' ELSE 'low' END WHERE item = NEW.id;
    SELECT RAISE(ABORT, 'negative; quantity') WHERE NEW.qty < 0;
END;
CREATE TEMP TRIGGER IF NOT EXISTS items_ins AFTER INSERT ON items
WHEN CASE WHEN NEW.qty IS NULL THEN 1 ELSE 0 END
BEGIN
    UPDATE items SET qty = 0 WHERE id = NEW.id;
END;
INSERT INTO items (qty) VALUES (1), (NULL);
UPDATE items SET qty = 20;
