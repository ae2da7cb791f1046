-- Upgrade step 9 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  b3187d2f6e45 -> 2a7d5c90e3b1
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0009_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- lock:     CREATE TABLE product_reviews: creates the table; SHARE ROW EXCLUSIVE on products (existing); SHARE ROW EXCLUSIVE on customers (existing)

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',b3187d2f6e45,' in ',' || found || ',') > 0 AND position(',2a7d5c90e3b1,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0009: expected b3187d2f6e45, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE product_reviews (
	id SERIAL NOT NULL, 
	product_id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	rating SMALLINT NOT NULL, 
	title VARCHAR(120), 
	body TEXT, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_product_reviews PRIMARY KEY (id), 
	CONSTRAINT fk_product_reviews_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_reviews_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	CONSTRAINT uq_product_reviews_customer UNIQUE (product_id, customer_id), 
	CONSTRAINT ck_product_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
UPDATE alembic_version SET version_num = '2a7d5c90e3b1' WHERE alembic_version.version_num = 'b3187d2f6e45';
COMMIT;
