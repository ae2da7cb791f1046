-- Upgrade step 2 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: r0001
-- parents:  r0000
-- message:  step 1
-- version:  r0000 -> r0001
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0002_r0001_step_1.sql
-- guard:    stops before any change unless the database is at version r0000
-- lock:     ALTER TABLE p ADD COLUMN d INTEGER: ACCESS EXCLUSIVE on p (existing); changes the catalog only
-- lock:     CREATE INDEX CONCURRENTLY ix_p_a ON p (a): SHARE UPDATE EXCLUSIVE on p (existing); builds an index, reading every row; writes continue
-- lock:     ALTER TABLE p ADD COLUMN e INTEGER: ACCESS EXCLUSIVE on p (existing); changes the catalog only
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',r0000,' in ',' || found || ',') > 0 AND position(',r0001,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0002: expected r0000, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: skipped when a run before this one finished it
SELECT EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'r0001' AND segment = 1) AS sqlbundle_done \gset
\if :sqlbundle_done
\echo 'sqlbundle: step r0001: segment 1 was finished by an earlier run, skipped'
\else
BEGIN;
SET LOCAL lock_timeout = '5000ms';
ALTER TABLE p ADD COLUMN d INTEGER;
INSERT INTO alembic_version_progress (revision, segment) VALUES ('r0001', 1);
COMMIT;
\endif
-- segment 2 of 3: skipped when a run before this one finished it
SELECT EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'r0001' AND segment = 2) AS sqlbundle_done \gset
\if :sqlbundle_done
\echo 'sqlbundle: step r0001: segment 2 was finished by an earlier run, skipped'
\else
SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'ix_p_a' AND NOT i.indisvalid) AS sqlbundle_invalid \gset
\if :sqlbundle_invalid
DROP INDEX CONCURRENTLY ix_p_a;
\endif
SET lock_timeout = '5000ms';
CREATE INDEX CONCURRENTLY ix_p_a ON p (a);
RESET lock_timeout;
INSERT INTO alembic_version_progress (revision, segment) VALUES ('r0001', 2);
\endif
-- segment 3 of 3: the version row moves, the step's progress is forgotten
BEGIN;
SET LOCAL lock_timeout = '5000ms';
ALTER TABLE p ADD COLUMN e INTEGER;
UPDATE alembic_version SET version_num = 'r0001' WHERE alembic_version.version_num = 'r0000';
DELETE FROM alembic_version_progress WHERE revision = 'r0001';
DO $sqlbundle$ BEGIN IF NOT EXISTS (SELECT 1 FROM alembic_version_progress) THEN DROP TABLE alembic_version_progress; END IF; END $sqlbundle$;
COMMIT;
