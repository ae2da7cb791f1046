-- Upgrade step 8 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  9e05a7b3c2d8 -> b3187d2f6e45
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0008_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 9e05a7b3c2d8
-- lock:     ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2): ACCESS EXCLUSIVE on order_lines (existing); changes the catalog only
-- lock:     UPDATE order_lines SET line_total = quantity * unit_price: ROW EXCLUSIVE on order_lines (existing); writes rows
-- lock:     ALTER TABLE order_lines ALTER COLUMN line_total SET NOT NULL: ACCESS EXCLUSIVE on order_lines (existing); reads every row to check it

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',9e05a7b3c2d8,' in ',' || found || ',') > 0 AND position(',b3187d2f6e45,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0008: expected 9e05a7b3c2d8, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2);
UPDATE order_lines SET line_total = quantity * unit_price;
ALTER TABLE order_lines ALTER COLUMN line_total SET NOT NULL;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '9e05a7b3c2d8';
COMMIT;
