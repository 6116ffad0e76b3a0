CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.updated_at IS NULL THEN
        NEW.updated_at := now();  -- set it; once
    END IF;
    RAISE NOTICE 'touched %; done', NEW.id;
    RETURN NEW;
END;
$fn$