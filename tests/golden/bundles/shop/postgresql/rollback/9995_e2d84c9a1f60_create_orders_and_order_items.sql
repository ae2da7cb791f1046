-- Rollback of step 5 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  e2d84c9a1f60 -> 5a61f3d8e9b7
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9995_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version e2d84c9a1f60
-- lock:     DROP TABLE order_items: ACCESS EXCLUSIVE on order_items (existing); changes the catalog only
-- lock:     DROP TABLE orders: ACCESS EXCLUSIVE on orders (existing); changes the catalog only
-- WARNING:  this step loses data: drop table order_items; drop table orders

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',e2d84c9a1f60,' in ',' || found || ',') > 0 AND position(',5a61f3d8e9b7,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9995: expected e2d84c9a1f60, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE order_items;
DROP TABLE orders;
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'e2d84c9a1f60';
COMMIT;
