-- Rollback of step 4 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  5a61f3d8e9b7 -> c47b0e1d5f82
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9996_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7
-- lock:     DELETE FROM shipping_methods WHERE code IN ('standard', '...: ROW EXCLUSIVE on shipping_methods (existing); writes rows
-- lock:     DELETE FROM categories WHERE slug IN ('books', 'childrens...: ROW EXCLUSIVE on categories (existing); writes rows

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',5a61f3d8e9b7,' in ',' || found || ',') > 0 AND position(',c47b0e1d5f82,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9996: expected 5a61f3d8e9b7, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DELETE FROM shipping_methods WHERE code IN ('standard', 'express', 'pickup');
DELETE FROM categories WHERE slug IN ('books', 'childrens-books', 'kueche-cafe');
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '5a61f3d8e9b7';
COMMIT;
