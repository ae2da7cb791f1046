-- Upgrade step 3 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  8d2e5b6a9c31 -> c47b0e1d5f82
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0003_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- lock:     CREATE TABLE shipping_methods: creates the table

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',8d2e5b6a9c31,' in ',' || found || ',') > 0 AND position(',c47b0e1d5f82,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0003: expected 8d2e5b6a9c31, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE shipping_methods (
	id SERIAL NOT NULL, 
	code VARCHAR(20) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	fee NUMERIC(8, 2) DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_shipping_methods PRIMARY KEY (id), 
	CONSTRAINT uq_shipping_methods_code UNIQUE (code), 
	CONSTRAINT ck_shipping_methods_fee_nonneg CHECK (fee >= 0)
);
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '8d2e5b6a9c31';
COMMIT;
