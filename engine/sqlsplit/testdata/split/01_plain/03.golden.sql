UPDATE users SET name = upper(name)
   WHERE id > 1