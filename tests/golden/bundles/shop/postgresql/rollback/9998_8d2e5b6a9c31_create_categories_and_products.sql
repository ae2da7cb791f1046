-- Rollback of step 2 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- lock:     DROP TABLE products: ACCESS EXCLUSIVE on products (existing); changes the catalog only
-- lock:     DROP INDEX ix_categories_slug: ACCESS EXCLUSIVE on categories (existing); changes the catalog only
-- lock:     DROP TABLE categories: ACCESS EXCLUSIVE on categories (existing); changes the catalog only
-- WARNING:  this step loses data: drop table categories; drop table products

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',8d2e5b6a9c31,' in ',' || found || ',') > 0 AND position(',3f9a1c7e2b04,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9998: expected 8d2e5b6a9c31, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE products;
DROP INDEX ix_categories_slug;
DROP TABLE categories;
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE alembic_version.version_num = '8d2e5b6a9c31';
COMMIT;
