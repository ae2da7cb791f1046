-- Rollback of step 12 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  f08c3e6b9a54 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9988_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',f08c3e6b9a54,' in ',' || found || ',') > 0 AND position(',2a7d5c90e3b1,' in ',' || found || ',') = 0 AND position(',d61f8b4e07a2,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9988: expected f08c3e6b9a54, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = 'f08c3e6b9a54';
INSERT INTO alembic_version (version_num) VALUES ('2a7d5c90e3b1');
COMMIT;
