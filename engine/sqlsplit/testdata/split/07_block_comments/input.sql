/* leading comment; dropped */ SELECT 1;
SELECT /* inner; comment */ 2;
/* outer /* nested; */ still comment; */
SELECT 3 /* trailing; */;
/*
 * a header ' with " stray $$ quotes;
 */
SELECT 4*/**/5;
