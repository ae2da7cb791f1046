-- Upgrade step 13 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54
-- lock:     ALTER TABLE customers ADD COLUMN default_shipping_method_...: ACCESS EXCLUSIVE on customers (existing); changes the catalog only
-- lock:     ALTER TABLE customers ADD CONSTRAINT fk_customers_shippin...: SHARE ROW EXCLUSIVE on customers (existing); SHARE ROW EXCLUSIVE on shipping_methods (existing); reads every row to check it

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',f08c3e6b9a54,' in ',' || found || ',') > 0 AND position(',6e4a0d9c1b7f,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0013: expected f08c3e6b9a54, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE customers ADD COLUMN default_shipping_method_id INTEGER;
ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL;
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE alembic_version.version_num = 'f08c3e6b9a54';
COMMIT;
