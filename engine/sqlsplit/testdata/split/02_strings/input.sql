INSERT INTO notes (body) VALUES ('semi; colon');
INSERT INTO notes (body) VALUES ('it''s; still one string');
INSERT INTO notes (body) VALUES ('a backslash \ is plain text under standard_conforming_strings; ');
SELECT 'multi
line; string', '', ''''; SELECT N'national;', B'1010', X'DEADBEEF';
INSERT INTO notes (body) VALUES ('-- not a comment; /* nor this */');
