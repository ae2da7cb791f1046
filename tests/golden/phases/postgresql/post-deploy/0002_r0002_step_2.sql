-- Post-deploy part of step 2 of 2 for postgresql@16 (PostgreSQL)
-- revision: r0002
-- message:  step 2
-- source:   versions/r0002_m.py
-- when:     after the application's deploy, once every pre-deploy file has run
-- version:  r0001 -> r0002
-- guard:    stops before any change unless the database is at version r0001

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',r0001,' in ',' || found || ',') > 0 AND position(',r0002,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard post-deploy 0002: expected r0001, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
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
    IF NOT (position(',r0002,' in ',' || found || ',') > 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard post-deploy 0002 (pre-deploy part not run): expected r0002, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
-- the next statement cannot run inside a transaction
COMMIT;
SET lock_timeout = '5000ms';
ALTER TABLE q VALIDATE CONSTRAINT fk_q_p;
RESET lock_timeout;
BEGIN;
SET LOCAL lock_timeout = '5000ms';
ALTER TABLE p ALTER COLUMN n SET NOT NULL;
UPDATE alembic_version SET version_num = 'r0002' WHERE alembic_version.version_num = 'r0001';
DELETE FROM alembic_version_phases WHERE alembic_version_phases.version_num = 'r0002';
DROP TABLE IF EXISTS alembic_version_phases;
COMMIT;
