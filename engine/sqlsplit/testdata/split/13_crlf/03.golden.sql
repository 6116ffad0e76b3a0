SELECT $$a;
b$$