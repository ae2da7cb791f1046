-- Post-deploy part of step 1 of 2 for postgresql@16 (PostgreSQL)
-- revision: r0001
-- message:  step 1
-- source:   versions/r0001_m.py
-- when:     after the application's deploy, once every pre-deploy file has run
-- version:  r0000 -> r0001
-- guard:    stops before any change unless the database is at version r0000

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',r0000,' in ',' || found || ',') > 0 AND position(',r0001,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard post-deploy 0001: expected r0000, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version_phases') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version_phases' INTO found;
    END IF;
    IF NOT (position(',r0001,' in ',' || found || ',') > 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard post-deploy 0001 (pre-deploy part not run): expected r0001, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE p DROP COLUMN b;
UPDATE alembic_version SET version_num = 'r0001' WHERE alembic_version.version_num = 'r0000';
DELETE FROM alembic_version_phases WHERE alembic_version_phases.version_num = 'r0001';
COMMIT;
