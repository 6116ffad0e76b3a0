CREATE FUNCTION add_one(i int) RETURNS int
LANGUAGE sql
BEGIN ATOMIC
    SELECT i + 1;
END;

CREATE OR REPLACE PROCEDURE archive(cutoff date)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO archive SELECT * FROM events WHERE day < cutoff;
    DELETE FROM events WHERE day < cutoff;
    UPDATE stats SET archived = CASE WHEN archived IS NULL THEN 1 ELSE archived + 1 END;
END;

CREATE FUNCTION sign_of(i int) RETURNS int
LANGUAGE sql
RETURN CASE WHEN i > 0 THEN 1 WHEN i < 0 THEN -1 ELSE 0 END;
SELECT add_one(1);
