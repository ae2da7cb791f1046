-- Rollback of step 8 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  b3187d2f6e45 -> 9e05a7b3c2d8
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9992_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- lock:     ALTER TABLE order_lines DROP COLUMN line_total: ACCESS EXCLUSIVE on order_lines (existing); changes the catalog only
-- WARNING:  this step loses data: drop column order_lines.line_total

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',b3187d2f6e45,' in ',' || found || ',') > 0 AND position(',9e05a7b3c2d8,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9992: expected b3187d2f6e45, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE order_lines DROP COLUMN line_total;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = 'b3187d2f6e45';
COMMIT;
