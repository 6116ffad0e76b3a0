SELECT $$a; b$$;
SELECT $body$ it's; "quoted" $$ not the end $$ $body$;
SELECT $outer$ $inner$ ; $inner$ ; $outer$, $Tag_1$;$Tag_1$;
PREPARE q AS SELECT $1::int + $2;
SELECT a$$b FROM t$x;
SELECT $a$$$ $b$ ; $a$;
