CREATE TABLE t (
    id int
);
-- a comment; here
INSERT INTO t VALUES (1);
SELECT $$a;
b$$;
