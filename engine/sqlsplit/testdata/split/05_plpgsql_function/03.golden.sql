CREATE FUNCTION add(a int, b int) RETURNS int AS '
BEGIN
    RETURN a + b; -- it''s fine
END;
' LANGUAGE plpgsql IMMUTABLE