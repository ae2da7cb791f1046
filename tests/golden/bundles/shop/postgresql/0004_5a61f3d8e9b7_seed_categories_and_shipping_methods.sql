-- Upgrade step 4 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  c47b0e1d5f82 -> 5a61f3d8e9b7
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0004_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: ROW EXCLUSIVE on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: ROW EXCLUSIVE on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: ROW EXCLUSIVE on categories (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: ROW EXCLUSIVE on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: ROW EXCLUSIVE on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: ROW EXCLUSIVE on shipping_methods (existing); writes rows

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',c47b0e1d5f82,' in ',' || found || ',') > 0 AND position(',5a61f3d8e9b7,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0004: expected c47b0e1d5f82, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
INSERT INTO categories (name, slug, description) VALUES ('Books', 'books', 'Fiction, non-fiction and reference');
INSERT INTO categories (name, slug, description) VALUES ('Children''s books', 'childrens-books', NULL);
INSERT INTO categories (name, slug, description) VALUES ('Küche & Café', 'kueche-cafe', 'Kaffeemühlen, Töpfe und Geschirr');
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('standard', 'Standard delivery', '3–5 business days', 4.95);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('express', 'Express delivery', 'Next business day', 12.50);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('pickup', 'Store pickup', NULL, 0.00);
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'c47b0e1d5f82';
COMMIT;
