-- Rollback of step 9 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  2a7d5c90e3b1 -> b3187d2f6e45
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9991_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- lock:     DROP TABLE product_reviews: ACCESS EXCLUSIVE on product_reviews (existing); changes the catalog only
-- WARNING:  this step loses data: drop table product_reviews

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',2a7d5c90e3b1,' in ',' || found || ',') > 0 AND position(',b3187d2f6e45,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9991: expected 2a7d5c90e3b1, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE product_reviews;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '2a7d5c90e3b1';
COMMIT;
