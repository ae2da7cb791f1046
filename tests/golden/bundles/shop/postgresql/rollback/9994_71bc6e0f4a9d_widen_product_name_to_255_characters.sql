-- Rollback of step 6 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 71bc6e0f4a9d
-- parents:  e2d84c9a1f60
-- message:  widen product name to 255 characters
-- source:   versions/71bc6e0f4a9d_widen_product_name_to_255_characters.py (sha256 4fd25e51dd964298a2706c71b1ec3a00d38f2af40c534314072256ec1fafcd37)
-- version:  71bc6e0f4a9d -> e2d84c9a1f60
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9994_71bc6e0f4a9d_widen_product_name_to_255_characters.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d
-- lock:     ALTER TABLE products ALTER COLUMN name TYPE VARCHAR(100): ACCESS EXCLUSIVE on products (existing); rewrites the table and its indexes

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',71bc6e0f4a9d,' in ',' || found || ',') > 0 AND position(',e2d84c9a1f60,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9994: expected 71bc6e0f4a9d, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE products ALTER COLUMN name TYPE VARCHAR(100);
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '71bc6e0f4a9d';
COMMIT;
