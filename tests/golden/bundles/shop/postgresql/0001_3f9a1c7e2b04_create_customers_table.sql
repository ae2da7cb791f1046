-- Upgrade step 1 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  (none) -> 3f9a1c7e2b04
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0001_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version (none)
-- lock:     CREATE TABLE customers: creates the table

BEGIN;
SET LOCAL lock_timeout = '5000ms';
CREATE TABLE IF NOT EXISTS alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (found = '') THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0001: expected no version rows, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE customers (
	id SERIAL NOT NULL, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
INSERT INTO alembic_version (version_num) VALUES ('3f9a1c7e2b04');
COMMIT;
