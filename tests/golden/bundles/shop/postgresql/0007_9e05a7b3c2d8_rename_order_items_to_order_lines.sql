-- Upgrade step 7 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 9e05a7b3c2d8
-- parents:  71bc6e0f4a9d
-- message:  rename order_items to order_lines
-- source:   versions/9e05a7b3c2d8_rename_order_items_to_order_lines.py (sha256 01d4d7acf646938ea4cdb492c9a041579cb227c43de3d510f40912c1cdec4aaf)
-- version:  71bc6e0f4a9d -> 9e05a7b3c2d8
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0007_9e05a7b3c2d8_rename_order_items_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d
-- lock:     ALTER TABLE order_items RENAME TO order_lines: ACCESS EXCLUSIVE on order_items (existing); changes the catalog only

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',71bc6e0f4a9d,' in ',' || found || ',') > 0 AND position(',9e05a7b3c2d8,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0007: expected 71bc6e0f4a9d, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE order_items RENAME TO order_lines;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = '71bc6e0f4a9d';
COMMIT;
