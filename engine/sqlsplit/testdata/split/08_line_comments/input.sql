-- a comment; with a semicolon and a 'quote
SELECT 1; -- after; the statement
SELECT -- in the middle; "
  2;
-- only comments here;
-- and here $$
SELECT 3 -- before the semicolon
;
SELECT 4--glued
;
