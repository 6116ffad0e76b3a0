CREATE RULE log_insert AS ON INSERT TO records DO ALSO (
    INSERT INTO record_log VALUES (NEW.id, 'insert');
    UPDATE counters SET n = n + 1 WHERE name = 'records'
);
SELECT 1;
