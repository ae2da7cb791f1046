-- Upgrade step 2 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  3f9a1c7e2b04 -> 8d2e5b6a9c31
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0002_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- lock:     CREATE TABLE categories: creates the table
-- lock:     CREATE UNIQUE INDEX ix_categories_slug ON categories (slug): categories new in this step, nothing waits
-- lock:     CREATE TABLE products: creates the table; SHARE ROW EXCLUSIVE on categories (new)
-- lock:     CREATE INDEX ix_products_category_id ON products (categor...: products new in this step, nothing waits

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',3f9a1c7e2b04,' in ',' || found || ',') > 0 AND position(',8d2e5b6a9c31,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0002: expected 3f9a1c7e2b04, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE categories (
	id SERIAL NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	slug VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	CONSTRAINT pk_categories PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_categories_slug ON categories (slug);
CREATE TABLE products (
	id SERIAL NOT NULL, 
	category_id INTEGER, 
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	price NUMERIC(10, 2) NOT NULL, 
	stock INTEGER DEFAULT 0 NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_products PRIMARY KEY (id), 
	CONSTRAINT fk_products_categories FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE SET NULL, 
	CONSTRAINT uq_products_sku UNIQUE (sku), 
	CONSTRAINT ck_products_price_positive CHECK (price > 0), 
	CONSTRAINT ck_products_stock_nonnegative CHECK (stock >= 0)
);
CREATE INDEX ix_products_category_id ON products (category_id);
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = '3f9a1c7e2b04';
COMMIT;
