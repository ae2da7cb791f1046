-- Rollback of step 3 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  c47b0e1d5f82 -> 8d2e5b6a9c31
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9997_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- lock:     DROP TABLE shipping_methods: ACCESS EXCLUSIVE on shipping_methods (existing); changes the catalog only
-- WARNING:  this step loses data: drop table shipping_methods

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',c47b0e1d5f82,' in ',' || found || ',') > 0 AND position(',8d2e5b6a9c31,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9997: expected c47b0e1d5f82, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE shipping_methods;
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = 'c47b0e1d5f82';
COMMIT;
