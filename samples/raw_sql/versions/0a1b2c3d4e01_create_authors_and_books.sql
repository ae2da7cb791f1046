-- revision: 0a1b2c3d4e01
-- down_revision: none
-- message: create authors and books
-- source_dialect: postgres
-- create_date: 2026-02-01 09:00:00

-- sqlbundle:upgrade
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
    CONSTRAINT fk_books_authors FOREIGN KEY (author_id) REFERENCES authors (id),
    CONSTRAINT ck_books_price CHECK (price >= 0)
);
CREATE INDEX ix_books_author ON books (author_id);

-- sqlbundle:downgrade
DROP TABLE books;
DROP TABLE authors;
