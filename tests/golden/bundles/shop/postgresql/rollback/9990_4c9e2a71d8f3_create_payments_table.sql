-- Rollback of step 10 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9990_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- lock:     DROP TABLE payments: ACCESS EXCLUSIVE on payments (existing); changes the catalog only
-- WARNING:  this step loses data: drop table payments

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',4c9e2a71d8f3,' in ',' || found || ',') > 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9990: expected 4c9e2a71d8f3, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DROP TABLE payments;
DELETE FROM alembic_version WHERE alembic_version.version_num = '4c9e2a71d8f3';
COMMIT;
