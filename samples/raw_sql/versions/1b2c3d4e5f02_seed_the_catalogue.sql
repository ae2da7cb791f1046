-- revision: 1b2c3d4e5f02
-- down_revision: 0a1b2c3d4e01
-- message: seed the catalogue
-- source_dialect: postgres
-- create_date: 2026-02-02 09:00:00

-- sqlbundle:upgrade
INSERT INTO authors (id, name, country) VALUES (1, 'Astrid Lindgren', 'SE');
INSERT INTO authors (id, name, country) VALUES (2, 'Chinua Achebe', 'NG');
INSERT INTO books (id, author_id, title, price, published) VALUES (1, 1, 'Pippi Longstocking', 9.50, DATE '1945-11-26');
INSERT INTO books (id, author_id, title, price, published) VALUES (2, 2, 'Things Fall Apart', 12.00, DATE '1958-06-17');
INSERT INTO books (id, author_id, title, price, published) VALUES (3, 1, 'Ronja, the Robber''s Daughter', 11.25, DATE '1981-01-01');
UPDATE books SET title = title || ' (classic)' WHERE published < DATE '1960-01-01';

-- sqlbundle:downgrade
DELETE FROM books WHERE id IN (1, 2, 3);
DELETE FROM authors WHERE id IN (1, 2);
