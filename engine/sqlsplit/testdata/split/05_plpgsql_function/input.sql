CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.updated_at IS NULL THEN
        NEW.updated_at := now();  -- set it; once
    END IF;
    RAISE NOTICE 'touched %; done', NEW.id;
    RETURN NEW;
END;
$fn$;

CREATE TRIGGER touch BEFORE UPDATE ON records
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE FUNCTION add(a int, b int) RETURNS int AS '
BEGIN
    RETURN a + b; -- it''s fine
END;
' LANGUAGE plpgsql IMMUTABLE;
