SELECT U&'d\0061t\+000061; ok';
SELECT U&'d!0061t!+000061;' UESCAPE '!';
SELECT u&'it''s; \\ plain';
INSERT INTO names VALUES ('Zoë; Ærøskøbing'), ('日本語;');
