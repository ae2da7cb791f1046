-- Rollback of step 1 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  3f9a1c7e2b04 -> (none)
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9999_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- lock:     DROP TABLE customers: ACCESS EXCLUSIVE on customers (existing); changes the catalog only
-- WARNING:  this step loses data: drop table customers

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',3f9a1c7e2b04,' in ',' || found || ',') > 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9999: expected 3f9a1c7e2b04, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE customers;
DELETE FROM alembic_version WHERE alembic_version.version_num = '3f9a1c7e2b04';
COMMIT;
