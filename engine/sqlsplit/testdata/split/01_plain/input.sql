CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL);
INSERT INTO users (name) VALUES ('ada'), ('grace');
  UPDATE users SET name = upper(name)
   WHERE id > 1;
SELECT count(*) FROM users;
