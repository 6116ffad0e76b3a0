CREATE TABLE "semi;colon" ("a""b;" int, "$$" text);
SELECT "a""b;" FROM "semi;colon";
SELECT U&"d\0061t\+000061;" FROM t;
SELECT "it's" FROM "--not a comment";
SELECT "/* not a comment;" FROM "E'";
