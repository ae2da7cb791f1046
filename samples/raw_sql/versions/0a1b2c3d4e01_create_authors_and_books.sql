-- revision: 0a1b2c3d4e01
-- down_revision: none
-- message: create genres, authors and books
-- source_dialect: postgres
-- create_date: 2026-02-01 09:00:00

-- No foreign key from books to authors: DuckDB, one of this sample's targets, cannot delete a
-- referenced row in the transaction that deleted its referencing rows (its documented limit).
-- sqlbundle:upgrade
CREATE TABLE genres (
    id INTEGER PRIMARY KEY,
    name VARCHAR(40) NOT NULL
);
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    country VARCHAR(2),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_authors_name UNIQUE (name)
);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL,
    title VARCHAR(200) NOT NULL,
    price NUMERIC(8, 2) NOT NULL DEFAULT 0,
    published DATE,
    CONSTRAINT ck_books_price CHECK (price >= 0)
);

-- sqlbundle:downgrade
DROP TABLE books;
DROP TABLE authors;
DROP TABLE genres;
