CREATE OR REPLACE PROCEDURE archive(cutoff date)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO archive SELECT * FROM events WHERE day < cutoff;
    DELETE FROM events WHERE day < cutoff;
    UPDATE stats SET archived = CASE WHEN archived IS NULL THEN 1 ELSE archived + 1 END;
END