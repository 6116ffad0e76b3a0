CREATE TABLE `sqlite;style` (`x;y` INTEGER, "a""b;" TEXT);
INSERT INTO `sqlite;style` VALUES (1, 'it''s; fine');
SELECT `x;y`, "a""b;" FROM `sqlite;style` -- trailing; comment
;
DROP TABLE `sqlite;style`;
