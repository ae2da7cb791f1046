-- Pre-deploy part of step 2 of 2 for postgresql@16 (PostgreSQL)
-- revision: r0002
-- message:  step 2
-- source:   versions/r0002_m.py
-- when:     before the application's deploy; changes no version row (the post-deploy part moves it)
-- guard:    stops unless the database is at the bundle's start and this step's post-deploy part has not run

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',r0000,' in ',' || found || ',') > 0 AND position(',r0002,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard pre-deploy 0002: expected r0000, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE IF NOT EXISTS alembic_version_phases (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_phases_pkc PRIMARY KEY (version_num)
);
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version_phases') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version_phases' INTO found;
    END IF;
    IF NOT (position(',r0002,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard pre-deploy 0002 (already run): expected not r0002, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
UPDATE p SET n = 0 WHERE n IS NULL;
ALTER TABLE q ADD CONSTRAINT fk_q_p FOREIGN KEY(pid) REFERENCES p (id) NOT VALID;
INSERT INTO alembic_version_phases (version_num) VALUES ('r0002');
COMMIT;
