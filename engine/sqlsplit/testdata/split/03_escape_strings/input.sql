INSERT INTO notes (body) VALUES (E'it\'s; escaped');
INSERT INTO notes (body) VALUES (e'back\\slash; ', E'tab\tnew\nline');
SELECT E'a quote '' and \' mixed; ok';
SELECT E'continued'
    -- a comment between the parts
    'it\'s; the same string';
SELECT E'ends with a backslash \\';
