CREATE TRIGGER items_audit AFTER UPDATE OF qty ON items
FOR EACH ROW
WHEN NEW.qty <> OLD.qty
BEGIN
    INSERT INTO audit (item, old, new) VALUES (OLD.id, OLD.qty, NEW.qty);
    UPDATE items SET updated = datetime('now') WHERE id = NEW.id;
    UPDATE stock SET level = CASE WHEN NEW.qty > 10 THEN 'high' ELSE 'low' END WHERE item = NEW.id;
    SELECT RAISE(ABORT, 'negative; quantity') WHERE NEW.qty < 0;
END